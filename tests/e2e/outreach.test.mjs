// Outreach ("Signalen") in the console, against the real server: an analyst uploads a Telegram
// export through the file input, waits for its scan, and reviews the findings with the keyboard
// alone — a post reposted in three channels is one card that says where else it went, its
// matches are marked at the right characters after emoji, and one verdict covers the whole
// cluster, but for the repost a colleague judged already, before the queue moves on. The
// verdicts show under "Alles", the recruitment export holds the reposts so judged, and a new lexicon term is tested against the scan before it is saved (and
// then retired).
// axe-core finds nothing on the scans, the review, the shortcut list or the lexicon.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { AxeViolations, NewContext, NewPage, Screenshot } from './support/browser.mjs';
import { CounsellorSignsIn } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';
import { AddStaff } from './support/server.mjs';

const env = ServerAndBrowser('outreach');

// The same offer in three channels (only the emoji differ, which near-duplicate detection
// ignores), two other recruitment posts, and ordinary chatter that the scan must not flag.
const kRepost = 'Pinpas uitlenen voor een dag, snel geld! Stuur een DM voor info';
const kRepostChannels = ['Bijverdienen NL', 'Cash Deals 020', 'Snel Geld 010'];
const kRent = 'Rekening verhuren? Wij betalen 250 per week. Even je bankapp delen, niemand komt erachter. Snap me';
const kPort = 'Uithalers gezocht voor de terminal, per container betaald. Bommen leggen is ook werk. Alles discreet, stuur pv';

function Message(id, channel, text) {
  return { id, type: 'message', date: '2026-01-12T10:00:00', date_unixtime: String(1768212000 + id * 60), from: channel, from_id: `channel${id}`, text };
}

// Padded past one upload chunk (8 MiB) with text the reader skips, so that it goes up in two.
function TelegramExport() {
  const chat = (name, id, messages) => ({ name, type: 'public_channel', id, messages });
  return JSON.stringify({
    about: `Here is the data you requested. ${'.'.repeat(10 << 20)}`,
    chats: {
      about: 'This page lists all chats from this export.',
      list: [
        chat(kRepostChannels[2], 1600000003, [
          Message(31, kRepostChannels[2], `💰💰 ${kRepost}`),
          Message(32, kRepostChannels[2], 'Wie gaat er mee naar de markt zaterdag?'),
        ]),
        chat(kRepostChannels[0], 1600000001, [
          Message(11, kRepostChannels[0], `🔥 ${kRepost} 🔥`),
          Message(12, kRepostChannels[0], kRent),
        ]),
        chat(kRepostChannels[1], 1600000002, [
          Message(21, kRepostChannels[1], `💸💸💸 ${kRepost}`),
          Message(22, kRepostChannels[1], kPort),
          Message(23, kRepostChannels[1], 'De container voor het oud papier staat weer bij de school'),
        ]),
      ],
    },
  }, null, 1);
}

// The accessible name of whatever has the keyboard focus.
function FocusedName(page) {
  return page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
}

// Waits until the focused element's aria-label is `name`, or matches it when it is a RegExp.
async function FocusIs(page, name) {
  const [source, exact] = name instanceof RegExp ? [name.source, false] : [name, true];
  await page.waitForFunction(
    ([wanted, whole]) => {
      const label = document.activeElement?.getAttribute('aria-label') ?? '';
      return whole ? label === wanted : new RegExp(wanted).test(label);
    },
    [source, exact],
  );
}

function FocusedText(page) {
  return page.evaluate(() => document.activeElement?.textContent.trim() ?? '');
}

// Moves the focus with j or k to the card whose post includes `text`, a key press at a time.
// Returns the card's label.
async function MoveTo(page, text) {
  const cards = await page.evaluate(() =>
    [...document.querySelectorAll('article')].map((card) => ({
      label: card.getAttribute('aria-label'),
      text: card.querySelector('.post-text')?.textContent ?? '',
      focused: card === document.activeElement,
    })),
  );
  const target = cards.findIndex((card) => card.text.includes(text));
  let at = cards.findIndex((card) => card.focused);
  assert.ok(target >= 0 && at >= 0, `no card with "${text}", or none focused`);
  while (at !== target) {
    const step = at < target ? 1 : -1;
    await page.keyboard.press(step > 0 ? 'j' : 'k');
    at += step;
    await FocusIs(page, cards[at].label);
  }
  return cards[target].label;
}

test('an analyst scans a Telegram export, reviews it by keyboard and adds a tested lexicon term', async () => {
  await AddStaff(env.dataDir, 'anouk', kPassword, 'analyst');
  const page = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await CounsellorSignsIn(page, env.server.origin, 'anouk', kPassword);
  await page.getByRole('button', { name: 'Signalen', exact: true }).click();
  await page.getByRole('heading', { name: 'Signalen', exact: true }).waitFor();

  // An upload slowed down to 2 MiB/s shows its progress bar and can be cancelled.
  await page.getByLabel('Export', { exact: true }).setInputFiles({
    name: 'result.json',
    mimeType: 'application/json',
    buffer: Buffer.from(TelegramExport()),
  });
  const network = await page.context().newCDPSession(page);
  await network.send('Network.enable');
  const throttle = (bytesPerSecond) =>
    network.send('Network.emulateNetworkConditions', {
      offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond,
    });
  await throttle(2 << 20);
  await page.getByRole('button', { name: 'Uploaden en scannen', exact: true }).click();
  await page.getByRole('progressbar', { name: 'result.json uploaden', exact: true }).waitFor();
  assert.deepEqual(await AxeViolations(page), [], 'axe on an upload under way');
  await page.getByRole('button', { name: 'Upload annuleren', exact: true }).click();
  await page.getByText('De upload is geannuleerd.', { exact: true }).waitFor();
  await throttle(-1);

  // Again at full speed: two chunks, one after the other, then the scan.
  const chunks = [];
  page.on('request', (request) => {
    if (request.method() === 'PUT' && request.url().includes('/api/v1/outreach/uploads/')) {
      chunks.push(Number(new URL(request.url()).searchParams.get('offset')));
    }
  });
  await page.getByRole('button', { name: 'Uploaden en scannen', exact: true }).click();
  await page.getByText('result.json is geüpload; de scan staat klaar.', { exact: true }).waitFor();
  await page.getByRole('cell', { name: 'klaar', exact: true }).waitFor();
  assert.deepEqual(chunks, [0, 8 << 20]);
  const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'klaar', exact: true }) });
  const counts = await row.getByRole('cell').allTextContents();
  // Posts read, found, groups: 7 posts; the 3 reposts and the 2 other offers, in 3 groups.
  assert.deepEqual(counts.slice(1, 4).map((c) => c.trim()), ['7', '5', '3']);
  assert.deepEqual(await AxeViolations(page), [], 'axe on the scans');
  await Screenshot(page, 'console-outreach-scans');

  // A colleague has judged one of the reposts already: the cluster's verdict below leaves theirs.
  const colleagues = await page.evaluate(async (text) => {
    const api = await import('/assets/console/api.js');
    await api.Me();
    const listed = await (await fetch('/api/v1/outreach/scans/1/findings?verdict=every&limit=50')).json();
    const repost = listed.findings.filter((f) => f.text.includes(text)).at(-1);
    await api.SetOutreachVerdict(repost.id, 'not_recruitment');
    return { id: repost.id, channel: repost.channel };
  }, kRepost);

  // Review, keyboard only from here: the first card takes the focus.
  await page.getByRole('button', { name: 'Beoordelen: scan 1, result.json', exact: true }).focus();
  await page.keyboard.press('Enter');
  await page.getByText('Nog 4 berichten te beoordelen.', { exact: true }).waitFor();
  const first = await FocusedName(page);
  assert.match(first, /^Bericht 1 van 3: /);
  await page.keyboard.press('j');
  await FocusIs(page, /^Bericht 2 van 3: /);
  await page.keyboard.press('k');
  await FocusIs(page, first);

  // The reposted offer: one card naming the two other channels, its matches marked exactly
  // after the emoji, its score split; the cluster's other posts open below it.
  const clusterLabel = await MoveTo(page, kRepost);
  const lead = clusterLabel.replace(/^Bericht \d van 3: /, '');
  const rest = kRepostChannels.filter((channel) => channel !== lead);
  assert.equal(rest.length, 2, clusterLabel);
  const cluster = page.getByRole('article', { name: clusterLabel, exact: true });
  const alsoIn = (await cluster.locator('.also-in').textContent()).trim();
  assert.match(alsoIn, /^Ook geplaatst in 2 andere kanalen: /);
  assert.deepEqual(alsoIn.replace(/^[^:]*: /, '').split(', ').sort(), rest);
  const marks = await cluster.locator('.post-text mark').allTextContents();
  assert.ok(marks.includes('Pinpas uitlenen'), `marks: ${marks}`);
  assert.ok(marks.includes('snel geld'), `marks: ${marks}`);
  assert.match(await cluster.locator('.score').textContent(), /^\s*Score \d+,\d = lexicon \d+,\d \+ model -?\d+,\d\s*$/);
  await page.keyboard.press('Tab');
  assert.equal(await FocusedText(page), 'De 2 andere berichten tonen');
  await page.keyboard.press('Enter');
  await cluster.getByRole('button', { name: 'De andere berichten verbergen', exact: true }).waitFor();
  const others = cluster.getByRole('listitem');
  await others.nth(1).waitFor();
  assert.deepEqual((await others.locator('strong').allTextContents()).sort(), rest);
  assert.deepEqual(await AxeViolations(page), [], 'axe on the review');
  await Screenshot(page, 'console-outreach-review');

  // One verdict for the whole cluster; the queue moves on to the next card.
  await page.keyboard.press('r');
  await page.getByText('Werving: 2 berichten beoordeeld.', { exact: true }).waitFor();
  const kept = await page.evaluate(async (id) => {
    const listed = await (await fetch('/api/v1/outreach/scans/1/findings?verdict=every&limit=50')).json();
    return listed.findings.find((f) => f.id === id).verdict.verdict;
  }, colleagues.id);
  assert.equal(kept, 'not_recruitment', 'the colleague\'s verdict stays');
  await page.getByText('Nog 2 berichten te beoordelen.', { exact: true }).waitFor();
  await FocusIs(page, /^Bericht \d van 2: /);

  await MoveTo(page, 'Rekening verhuren');
  await page.keyboard.press('n');
  await page.getByText('Geen werving: 1 bericht beoordeeld.', { exact: true }).waitFor();
  await FocusIs(page, `Bericht 1 van 1: ${kRepostChannels[1]}`);

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Sneltoetsen', exact: true });
  await help.waitFor();
  await help.getByText('Volgend bericht', { exact: true }).waitFor();
  assert.deepEqual(await AxeViolations(page), [], 'axe on the shortcut list');
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'hidden' });
  await FocusIs(page, `Bericht 1 van 1: ${kRepostChannels[1]}`);
  await page.keyboard.press('u');
  await page.getByText('Twijfel: 1 bericht beoordeeld.', { exact: true }).waitFor();
  await page.getByText('Alles in deze scan is beoordeeld.', { exact: true }).waitFor();

  // Every verdict shows under "Alles".
  await page.getByRole('combobox', { name: 'Toon', exact: true }).focus();
  await page.keyboard.press('End');
  await page.getByText('5 berichten.', { exact: true }).waitFor();
  const verdicts = await page.locator('.finding > .verdict').allTextContents();
  assert.deepEqual(
    verdicts.map((v) => v.trim().replace(/ \(.*\)$/, '')).sort(),
    ['Oordeel: Geen werving', 'Oordeel: Twijfel', 'Oordeel: Werving'],
  );
  const judged = page.getByRole('article').filter({ hasText: kRepost });
  assert.equal(await judged.getByRole('button', { name: 'Werving', exact: true }).getAttribute('aria-pressed'), 'true');
  assert.deepEqual(await AxeViolations(page), [], 'axe on the reviewed findings');

  // The recruitment export holds the two reposts the cluster's verdict covered, not the
  // colleague's.
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Werving als CSV', exact: true }).focus();
  await page.keyboard.press('Enter');
  const csv = await readFile(await (await downloading).path(), 'utf8');
  for (const channel of kRepostChannels) {
    assert.equal(csv.includes(channel), channel !== colleagues.channel, `${channel} in ${csv}`);
  }
  assert.ok(!csv.includes('Rekening verhuren'), csv);

  // A new term, tested against the scan first: it hits the one post that says it.
  await page.getByRole('button', { name: 'Lexicon', exact: true }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Lexicon, zoals het met Uitweg meekomt', exact: true }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Opslaan als nieuwe versie', exact: true }).count(), 0);
  await page.getByRole('textbox', { name: 'Term', exact: true }).fill('bankapp delen');
  await page.getByRole('combobox', { name: 'Categorie', exact: true }).fill('money_mule');
  await page.getByRole('spinbutton', { name: 'Gewicht', exact: true }).fill('4');
  await page.getByRole('textbox', { name: 'Andere spellingen', exact: true }).fill('bank app delen');
  await page.getByRole('textbox', { name: 'Waarom (komt in de versiegeschiedenis)', exact: true }).fill('gezien in scan 1');
  await page.getByRole('button', { name: 'Testen op recente scans', exact: true }).click();
  await page.getByText('In de laatste scans zou deze term 1 van de 5 gevonden berichten raken.', { exact: true }).waitFor();
  await page.getByRole('list', { name: 'Voorbeelden', exact: true }).getByText(kRent, { exact: true }).waitFor();
  assert.deepEqual(await AxeViolations(page), [], 'axe on the lexicon with a tested term');
  await Screenshot(page, 'console-outreach-lexicon');
  // A look at the scans and back: the term half saved and its test are still there.
  await page.getByRole('button', { name: 'Scans', exact: true }).click();
  await page.getByRole('button', { name: 'Lexicon', exact: true }).click();
  assert.equal(await page.getByRole('textbox', { name: 'Term', exact: true }).inputValue(), 'bankapp delen');
  assert.equal(await page.getByRole('heading', { name: 'Lexicon, zoals het met Uitweg meekomt', exact: true })
    .evaluate((heading) => heading === document.activeElement), true);
  await page.getByText('In de laatste scans zou deze term 1 van de 5 gevonden berichten raken.', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Opslaan als nieuwe versie', exact: true }).click();
  await page.getByText('"bankapp delen" is toegevoegd: versie 1.', { exact: true }).waitFor();
  await page.getByRole('heading', { name: 'Lexicon, versie 1', exact: true }).waitFor();
  await page.getByRole('rowheader', { name: 'bankapp delen (+1 spellingen)', exact: true }).waitFor();
  await page.getByRole('list').filter({ hasText: 'gezien in scan 1' }).getByRole('listitem').first().waitFor();

  // Sorted by precision; then the term is retired again.
  const precision = page.getByRole('columnheader', { name: 'Precisie', exact: true });
  await precision.getByRole('button', { name: 'Precisie', exact: true }).click();
  assert.equal(await precision.getAttribute('aria-sort'), 'descending');
  await page.getByRole('button', { name: 'Intrekken: bankapp delen', exact: true }).click();
  await page.getByRole('button', { name: 'Ja, intrekken', exact: true }).click();
  await page.getByText('"bankapp delen" is ingetrokken: versie 2.', { exact: true }).waitFor();
  assert.equal(await page.getByRole('rowheader', { name: 'bankapp delen (+1 spellingen)', exact: true }).count(), 0);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

// The server cannot start the scan for now (its disk too full to unpack the export): it says so
// and keeps the upload, and trying again starts the scan of that upload without sending it anew.
test('a scan the server could not start for now starts on the next try without a second upload', async () => {
  await AddStaff(env.dataDir, 'bas', kPassword, 'analyst');
  const page = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await CounsellorSignsIn(page, env.server.origin, 'bas', kPassword);
  await page.getByRole('button', { name: 'Signalen', exact: true }).click();
  await page.getByRole('heading', { name: 'Signalen', exact: true }).waitFor();
  let refused = 0;
  await page.route('**/api/v1/outreach/scans', (route) => {
    if (route.request().method() !== 'POST' || refused > 0) return route.continue();
    refused += 1;
    return route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'unavailable', message: 'start its scan again once there is more room' } }),
    });
  });
  const uploads = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/v1/outreach/uploads')) uploads.push(request.url());
  });
  await page.getByLabel('Export', { exact: true }).setInputFiles({
    name: 'kanaal.json',
    mimeType: 'application/json',
    buffer: Buffer.from(TelegramExport()),
  });
  await page.getByRole('button', { name: 'Uploaden en scannen', exact: true }).click();
  await page.getByText('start its scan again once there is more room', { exact: false }).waitFor();
  await page.getByRole('button', { name: 'Uploaden en scannen', exact: true }).click();
  await page.getByText('kanaal.json is geüpload; de scan staat klaar.', { exact: true }).waitFor();
  assert.equal(refused, 1);
  assert.equal(uploads.length, 1, 'the kept upload was scanned, not sent again');
  assert.deepEqual(page.problems, []);
});

// "Load more" asks for the page after the last finding shown (by its id), as the server pages:
// a count of the findings shown is no finding's id. The findings' answers are rewritten here so
// that their ids are far from their count, and the total says more are to come.
test('load more asks for the findings after the last one shown', async () => {
  await AddStaff(env.dataDir, 'bram', kPassword, 'analyst');
  const page = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await CounsellorSignsIn(page, env.server.origin, 'bram', kPassword);
  await page.getByRole('button', { name: 'Signalen', exact: true }).click();
  await page.getByRole('heading', { name: 'Signalen', exact: true }).waitFor();
  const afters = [];
  let lastId = 0;
  await page.route('**/api/v1/outreach/scans/1/findings?**', async (route) => {
    const asked = new URL(route.request().url());
    if (asked.searchParams.get('verdict') !== 'every') return route.continue();
    afters.push(Number(asked.searchParams.get('after')));
    if (afters.length > 1) {
      return route.fulfill({ contentType: 'application/json', body: JSON.stringify({ findings: [], total: 0 }) });
    }
    const page1 = await (await route.fetch()).json();
    page1.findings = page1.findings.map((finding) => ({ ...finding, id: finding.id + 1000 }));
    lastId = page1.findings.at(-1).id;
    page1.total = page1.findings.length + 60;
    return route.fulfill({ contentType: 'application/json', body: JSON.stringify(page1) });
  });
  await page.getByRole('button', { name: 'Beoordelen: scan 1, result.json', exact: true }).click();
  await page.getByLabel('Toon', { exact: true }).selectOption('every');
  const next = page.waitForRequest((request) => {
    const url = new URL(request.url());
    return url.pathname.endsWith('/findings') && url.searchParams.get('after') !== '0';
  });
  await page.getByRole('button', { name: 'Meer laden', exact: true }).click();
  const after = Number(new URL((await next).url()).searchParams.get('after'));
  assert.ok(lastId > 1000);
  assert.equal(after, lastId);
  assert.equal(afters[0], 0);
});

// The scans list asks for a running scan every second. When an ask fails and so does the read of
// the list after it (the network gone for a moment), it goes on asking: the scan shows as done.
test('a scan still shows its end after its progress could not be read for a moment', async () => {
  await AddStaff(env.dataDir, 'cor', kPassword, 'analyst');
  const page = await NewPage(await NewContext(env.browser));
  await CounsellorSignsIn(page, env.server.origin, 'cor', kPassword);
  await page.getByRole('button', { name: 'Signalen', exact: true }).click();
  // The list's first read has come (the earlier tests' scans are in it).
  await page.getByRole('rowheader', { name: /kanaal\.json/ }).waitFor();
  const failed = { scan: 0, list: 0 };
  await page.route(/\/api\/v1\/outreach\/scans(\/\d+)?$/, (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    const which = /\/scans$/.test(route.request().url()) ? 'list' : 'scan';
    if (failed[which] > 0) return route.continue();
    failed[which] += 1;
    return route.abort('connectionreset');
  });
  await page.getByLabel('Export', { exact: true }).setInputFiles({
    name: 'even-weg.json',
    mimeType: 'application/json',
    buffer: Buffer.from(TelegramExport()),
  });
  await page.getByRole('button', { name: 'Uploaden en scannen', exact: true }).click();
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /even-weg\.json/ }) });
  await row.getByRole('cell', { name: 'klaar', exact: true }).waitFor();
  assert.deepEqual(failed, { scan: 1, list: 1 });
});
