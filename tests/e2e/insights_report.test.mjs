// Partner reports in the console, against the real server. Two visitors from Rotterdam are
// helped and registered. An admin defines the partner "rotterdam" in the Inzichten view (a bad
// name first: the server's message shows; a save over a colleague's change is refused). An analyst sees the partner, opens its printable
// report in a new page: Dutch, headed with the partner's label, captioned tables, no count under
// the threshold, no axe violations, still drawn for print (screenshot, and a PDF); the CSV link
// answers text/csv; both are in the audit trail. A supervisor sees the list without report links.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeViolations, NewContext, NewPage, Screenshot } from './support/browser.mjs';
import { CounsellorAccepts, CounsellorEnds, CounsellorRegisters, CounsellorSignsIn, VisitorStartsChat } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';
import { AddStaff } from './support/server.mjs';

// The chats of a test are today's: their reports may include today.
const env = ServerAndBrowser('insights-report', { staff: ['femke'], config: '[insights]\nreport_settle_days = 0\n' });
const kLabel = 'Gemeente Rotterdam';

async function OpenPartners(page) {
  await page.getByRole('button', { name: 'Inzichten', exact: true }).click();
  await page.getByRole('heading', { name: 'Inzichten', exact: true, level: 2 }).waitFor();
  const section = page.getByRole('region', { name: 'Partners', exact: true });
  await section.getByText('Partners (bijvoorbeeld gemeenten)', { exact: false }).waitFor();
  return section;
}

// Today and four weeks back as the server counts days (Europe/Amsterdam).
function Period() {
  const day = (date) => date.toLocaleDateString('en-CA', { timeZone: 'Europe/Amsterdam' });
  const now = new Date();
  return { from: day(new Date(now.getTime() - 27 * 86400000)), to: day(now) };
}

test('an admin defines a partner, an analyst publishes its report, a supervisor reads the list', async () => {
  await AddStaff(env.dataDir, 'sanne', kPassword, 'supervisor');
  await AddStaff(env.dataDir, 'anouk', kPassword, 'analyst');
  await AddStaff(env.dataDir, 'bram', kPassword, 'admin');
  const pages = [];

  // Two visitors from Rotterdam, helped and registered.
  const counsellor = await NewPage(await NewContext(env.browser));
  pages.push(counsellor);
  await CounsellorSignsIn(counsellor, env.server.origin, 'femke', kPassword);
  for (const name of ['Dani', 'Sam']) {
    const visitor = await NewPage(await NewContext(env.browser));
    pages.push(visitor);
    await VisitorStartsChat(visitor, env.server.origin, { nickname: name });
    await CounsellorAccepts(counsellor, name);
    await CounsellorEnds(counsellor);
    await CounsellorRegisters(counsellor, name, { region: 'Rotterdam' });
  }

  // The admin adds the partner; a bad name is refused with the server's own message.
  const admin = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  pages.push(admin);
  await admin.setViewportSize({ width: 1280, height: 900 });
  await CounsellorSignsIn(admin, env.server.origin, 'bram', kPassword);
  const editor = await OpenPartners(admin);
  await editor.getByText('Er zijn nog geen partners.').waitFor();
  await editor.getByRole('button', { name: 'Partner toevoegen' }).click();
  const row = editor.getByRole('group', { name: 'Partner 1', exact: true });
  await row.getByLabel('Naam', { exact: true }).fill('Rotterdam!');
  await row.getByLabel('Omschrijving', { exact: true }).fill(kLabel);
  await row.getByLabel('Gemeenten', { exact: true }).fill('Rotterdam');
  await row.getByLabel('Trechter', { exact: true }).check();
  await row.getByLabel('Registraties', { exact: true }).check();
  await editor.getByRole('button', { name: 'Opslaan', exact: true }).click();
  await editor.getByRole('alert')
    .filter({ hasText: 'De partners konden niet worden opgeslagen. partner 1: name is 2 to 40 characters a-z, 0-9 and -' })
    .waitFor();
  assert.deepEqual(await AxeViolations(admin), [], 'axe on the partner editor');
  await row.getByLabel('Naam', { exact: true }).fill('rotterdam');
  await editor.getByRole('button', { name: 'Opslaan', exact: true }).click();
  await editor.getByRole('status').filter({ hasText: 'De partners zijn opgeslagen.' }).waitFor();
  assert.equal((await editor.getByRole('alert').textContent()).trim(), '');

  // A colleague adds a partner while this editor is open: saving over it is refused, and the
  // admin loads the colleague's version, keeping the focus, before changing anything.
  const colleague = await NewPage(await NewContext(env.browser));
  pages.push(colleague);
  await CounsellorSignsIn(colleague, env.server.origin, 'bram', kPassword);
  const theirs = await OpenPartners(colleague);
  await theirs.getByRole('group', { name: 'Partner 1', exact: true }).waitFor();
  await theirs.getByRole('button', { name: 'Partner toevoegen' }).click();
  const added = theirs.getByRole('group', { name: 'Partner 2', exact: true });
  await added.getByLabel('Naam', { exact: true }).fill('schiedam');
  await added.getByLabel('Omschrijving', { exact: true }).fill('Gemeente Schiedam');
  await added.getByLabel('Gemeenten', { exact: true }).fill('Schiedam');
  await theirs.getByRole('button', { name: 'Opslaan', exact: true }).click();
  await theirs.getByRole('status').filter({ hasText: 'De partners zijn opgeslagen.' }).waitFor();
  await row.getByLabel('Omschrijving', { exact: true }).fill('Gemeente Rotterdam (jeugd)');
  await editor.getByRole('button', { name: 'Opslaan', exact: true }).click();
  await editor.getByRole('alert').filter({ hasText: 'een collega heeft de partners intussen gewijzigd' }).waitFor();
  await editor.getByRole('button', { name: 'Hun versie laden' }).click();
  const loaded = editor.getByRole('group', { name: 'Partner 2', exact: true });
  await loaded.getByLabel('Naam', { exact: true }).waitFor();
  assert.equal(await loaded.getByLabel('Naam', { exact: true }).inputValue(), 'schiedam');
  assert.equal(await row.getByLabel('Omschrijving', { exact: true }).inputValue(), kLabel);
  assert.equal(await admin.evaluate(() => document.activeElement?.textContent.trim()), 'Opslaan');
  await editor.getByRole('button', { name: 'Partner 2 verwijderen' }).click();
  await editor.getByRole('button', { name: 'Opslaan', exact: true }).click();
  await editor.getByRole('status').filter({ hasText: 'De partners zijn opgeslagen.' }).waitFor();
  const stored = await admin.evaluate(async () => (await fetch('/api/v1/insights/partners')).json());
  assert.deepEqual(stored.partners, [
    { name: 'rotterdam', label: kLabel, regions: ['Rotterdam'], funnel: true, registrations: true, trends: false, methodology: false },
  ]);

  // The analyst sees the partner, with the period of the previous month to start with.
  const analyst = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  pages.push(analyst);
  await analyst.setViewportSize({ width: 1280, height: 900 });
  await CounsellorSignsIn(analyst, env.server.origin, 'anouk', kPassword);
  const list = await OpenPartners(analyst);
  await list.getByRole('heading', { name: kLabel, level: 4 }).waitFor();
  await list.getByText('Elk rapport wordt vastgelegd in het auditlog.', { exact: false }).waitFor();
  const form = list.getByRole('group', { name: `Rapport voor ${kLabel}` });
  const defaultFrom = await form.getByLabel('Rapport vanaf').inputValue();
  const defaultTo = await form.getByLabel('Rapport tot en met').inputValue();
  assert.match(defaultFrom, /^\d{4}-\d{2}-01$/);
  assert.equal(defaultTo.slice(0, 7), defaultFrom.slice(0, 7));
  assert.ok(new Date(`${defaultTo}T00:00:00Z`) < new Date(), 'the previous month has passed');
  const period = Period();
  await form.getByLabel('Rapport vanaf').fill(period.from);
  await form.getByLabel('Rapport tot en met').fill(period.to);
  const open = form.getByRole('link', { name: 'Rapport openen' });
  const csv = form.getByRole('link', { name: 'CSV downloaden' });
  await analyst.waitForFunction(
    (to) => document.querySelector('a[target="_blank"]')?.getAttribute('href').includes(`to=${to}`),
    period.to,
  );
  assert.equal(await open.getAttribute('target'), '_blank');
  assert.equal(await open.getAttribute('rel'), 'noopener');
  assert.notEqual(await csv.getAttribute('download'), null);
  assert.deepEqual(await AxeViolations(analyst), [], 'axe on the analyst view');
  await Screenshot(analyst, 'console-insights-partners');

  // The report: a printable Dutch page.
  const href = await open.getAttribute('href');
  assert.equal(
    href,
    `/api/v1/insights/report?partner=rotterdam&from=${period.from}&to=${period.to}&format=html`,
  );
  const report = await NewPage(analyst.context());
  pages.push(report);
  const answer = await report.goto(`${env.server.origin}${href}`);
  assert.equal(answer.status(), 200);
  assert.match(answer.headers()['content-type'], /^text\/html/);
  assert.equal(await report.evaluate(() => document.documentElement.lang), 'nl');
  assert.match(await report.locator('h1').textContent(), /Gemeente Rotterdam/);
  const tables = await report.evaluate(() =>
    [...document.querySelectorAll('table')].map((table) => ({
      caption: table.caption?.textContent.trim() ?? '',
      cells: [...table.querySelectorAll('td')].map((cell) => cell.textContent.trim()),
    })),
  );
  assert.ok(tables.length >= 2, `tables: ${JSON.stringify(tables)}`);
  const shown = [];
  for (const table of tables) {
    assert.notEqual(table.caption, '', 'a table without a caption');
    for (const cell of table.cells) {
      if (/^[\d.]+$/.test(cell)) {
        const n = Number(cell.replaceAll('.', ''));
        assert.ok(n === 0 || (n >= 10 && n % 5 === 0), `${table.caption}: ${cell}`);
      } else {
        assert.match(cell, /^(<10|x)$/, `${table.caption}: ${cell}`);
      }
      shown.push(cell);
    }
  }
  assert.ok(shown.includes('<10'), 'the two registrations are counted, and hidden');
  assert.deepEqual(await AxeViolations(report), [], 'axe on the report');
  await report.emulateMedia({ media: 'print' });
  assert.ok(await report.locator('h1').isVisible());
  assert.ok(await report.locator('table').first().isVisible());
  await Screenshot(report, 'console-insights-report');
  let pdf = null;
  try {
    pdf = await report.pdf();
  } catch (error) {
    if (!/headless|not supported|PrintToPDF/i.test(String(error))) throw error;
  }
  if (pdf) {
    assert.ok(pdf.length > 1000, `a PDF of ${pdf.length} bytes`);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  }

  // The CSV, with the analyst's session.
  const csvHref = await csv.getAttribute('href');
  assert.ok(csvHref.endsWith('&format=csv'), csvHref);
  const download = await analyst.request.get(`${env.server.origin}${csvHref}`);
  assert.equal(download.status(), 200);
  assert.match(download.headers()['content-type'], /^text\/csv/);
  assert.match(await download.text(), /sectie,tabel,rij,kolom,waarde/);

  // Both reports and the changes of partners are in the audit trail.
  const audit = await admin.evaluate(async () => {
    const read = async (action) => (await (await fetch(`/api/v1/audit?action=${action}`)).json()).entries;
    return { reports: await read('insights_report'), changes: await read('partners_changed') };
  });
  assert.equal(audit.reports.length, 2);
  assert.equal(audit.changes.length, 3, 'the admin\'s two saves and the colleague\'s');

  // The supervisor reads the list, without report links or an editor.
  const supervisor = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  pages.push(supervisor);
  await CounsellorSignsIn(supervisor, env.server.origin, 'sanne', kPassword);
  const readOnly = await OpenPartners(supervisor);
  await readOnly.getByRole('heading', { name: kLabel, level: 4 }).waitFor();
  await readOnly.getByText('Trechter, Registraties').waitFor();
  assert.equal(await readOnly.getByRole('link').count(), 0);
  assert.equal(await readOnly.getByRole('button').count(), 0);
  assert.equal(await readOnly.getByRole('textbox').count(), 0);
  assert.deepEqual(await AxeViolations(supervisor), [], 'axe on the supervisor view');

  for (const page of pages) assert.deepEqual(page.problems, []);
  for (const page of pages) if (!page.isClosed()) await page.context().close().catch(() => {});
});
