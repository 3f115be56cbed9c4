// Cancelling a running outreach scan in the console, against the real server: an analyst scans
// an export in the server's import folder and judges what it found, then scans another one,
// sees it running and cancels it. The cancelled scan says so and keeps nothing of what came in
// after the cancel; the earlier scan and its verdict are as they were.
// axe-core finds nothing on the running scan or the cancelled one.
//
// The second export is a named pipe: a scan reads a pipe until its writer closes it, so once the
// scan has the pipe open it runs for as long as the test holds the writing end, and only a
// cancel ends it sooner. The test writes a post into the pipe only after the server has logged
// that the scan was told to stop (outreach.scan_cancelling): written sooner, the scan could read
// it and end done before the cancel reached it. No timing decides whether the scan still runs
// when Cancel is pressed, nor whether the cancel comes before the scan's end.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { constants, mkdtempSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AxeViolations, kTimeoutMs, NewContext, NewPage } from './support/browser.mjs';
import { CounsellorSignsIn } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';
import { AddStaff, RemoveDir } from './support/server.mjs';

// Made now: the server refuses to start with an import folder that does not exist.
const kImportFolder = mkdtempSync(path.join(tmpdir(), 'uitweg-e2e-outreach-import-'));
const env = ServerAndBrowser('outreach-cancel', {
  config: `[outreach]\nimport_folder = ${JSON.stringify(kImportFolder)}\n`,
});
after(() => RemoveDir(kImportFolder));

const kOffer = 'Pinpas uitlenen voor een dag, snel geld! Stuur een DM voor info';
const kRent = 'Rekening verhuren? Wij betalen 250 per week. Even je bankapp delen, niemand komt erachter. Snap me';

function JsonLines(channel, texts) {
  return texts
    .map((text, i) => JSON.stringify({ message_id: i + 1, date: 1768212000 + i * 60, channel, text }))
    .join('\n') + '\n';
}

// A named pipe in the import folder whose writing end the test holds. Opening that end waits
// until a scan opens the other one.
class HeldExport {
  constructor(name) {
    this.file = path.join(kImportFolder, name);
    execFileSync('mkfifo', [this.file]);
    this.writer = open(this.file, 'w');
    this.closed = false;
  }

  // Resolves once a scan has opened the pipe.
  Opened() {
    let timer;
    const late = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no scan opened ${this.file}`)), kTimeoutMs);
    });
    return Promise.race([this.writer, late]).finally(() => clearTimeout(timer));
  }

  // Writes `text` and closes the pipe. A scan cancelled by then has stopped reading: the text
  // has nowhere to go.
  async Release(text) {
    const writer = await this.writer;
    this.closed = true;
    try {
      await writer.write(text);
    } catch (error) {
      if (error.code !== 'EPIPE') throw error;
    }
    await writer.close();
  }

  // After a failure: lets whichever side still waits go on, so that the server can stop (and
  // this process end: an open that waits holds it).
  async Close() {
    if (this.closed) return;
    this.closed = true;
    const reader = await open(this.file, constants.O_RDONLY | constants.O_NONBLOCK);
    await (await this.writer).close();
    await reader.close();
  }
}

test('an analyst cancels a running scan; the earlier scan and its verdict stay', async () => {
  await AddStaff(env.dataDir, 'bram', kPassword, 'analyst');
  const page = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await CounsellorSignsIn(page, env.server.origin, 'bram', kPassword);
  await page.getByRole('button', { name: 'Signalen', exact: true }).click();
  await page.getByRole('heading', { name: 'Signalen', exact: true }).waitFor();
  const pathField = page.getByRole('textbox', { name: 'Of: pad in de importmap van de server', exact: true });
  const scanPath = page.getByRole('button', { name: 'Dit pad scannen', exact: true });
  const rowOf = (name) => page.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  const countsOf = async (row) => (await row.getByRole('cell').allTextContents()).slice(1, 4).map((c) => c.trim());

  // The earlier scan: one offer among chatter, judged as recruitment.
  await writeFile(path.join(kImportFolder, 'kanaal.jsonl'), JsonLines('Snel Geld 010', [kOffer, 'Wie gaat er mee naar de markt zaterdag?']));
  await pathField.fill('kanaal.jsonl');
  await scanPath.click();
  const earlier = rowOf('kanaal.jsonl');
  await earlier.getByRole('cell', { name: 'klaar', exact: true }).waitFor();
  assert.deepEqual(await countsOf(earlier), ['2', '1', '1']);
  await page.getByRole('button', { name: 'Beoordelen: scan 1, kanaal.jsonl', exact: true }).click();
  await page.getByText('Nog 1 berichten te beoordelen.', { exact: true }).waitFor();
  await page.getByRole('article', { name: 'Bericht 1 van 1: Snel Geld 010', exact: true })
    .getByRole('button', { name: 'Werving', exact: true }).click();
  await page.getByText('Werving: 1 bericht beoordeeld.', { exact: true }).waitFor();
  await page.getByText('Alles in deze scan is beoordeeld.', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Scans', exact: true }).click();

  const held = new HeldExport('vastgehouden.jsonl');
  try {
    await pathField.fill('vastgehouden.jsonl');
    await scanPath.click();
    const second = rowOf('vastgehouden.jsonl');
    // The cell holds the progress bar too.
    await second.getByRole('cell', { name: /^bezig/ }).waitFor();
    // Else a cancel could come before the scan opens the file, and the pipe would never be read.
    await held.Opened();
    await page.getByRole('progressbar', { name: 'Voortgang van scan 2', exact: true }).waitFor();
    assert.deepEqual(await AxeViolations(page), [], 'axe on a running scan');

    await page.getByRole('button', { name: 'Annuleren: scan 2, vastgehouden.jsonl', exact: true }).click();
    await env.server.WaitForLog('outreach.scan_cancelling', { scan: 2 });
    // A recruitment post the scan would flag, had it not been cancelled.
    await held.Release(JsonLines('Bijverdienen NL', [kRent]));
    await second.getByRole('cell', { name: 'geannuleerd', exact: true }).waitFor();
    assert.deepEqual(await countsOf(second), ['0', '0', '0']);
    assert.equal(await second.getByRole('button', { name: 'Annuleren: scan 2, vastgehouden.jsonl', exact: true }).count(), 0);
    await second.getByRole('button', { name: 'Verwijderen: scan 2, vastgehouden.jsonl', exact: true }).waitFor();
    assert.deepEqual(await AxeViolations(page), [], 'axe on a cancelled scan');
  } finally {
    await held.Close();
  }

  // The earlier scan is still done, with its finding and the verdict on it.
  await earlier.getByRole('cell', { name: 'klaar', exact: true }).waitFor();
  assert.deepEqual(await countsOf(earlier), ['2', '1', '1']);
  await page.getByRole('button', { name: 'Beoordelen: scan 1, kanaal.jsonl', exact: true }).click();
  await page.getByText('Alles in deze scan is beoordeeld.', { exact: true }).waitFor();
  await page.getByRole('combobox', { name: 'Toon', exact: true }).selectOption('every');
  const judged = page.getByRole('article', { name: 'Bericht 1 van 1: Snel Geld 010', exact: true });
  assert.match(await judged.locator('.verdict').textContent(), /^\s*Oordeel: Werving \(bram, /);
  assert.equal(await judged.getByRole('button', { name: 'Werving', exact: true }).getAttribute('aria-pressed'), 'true');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
