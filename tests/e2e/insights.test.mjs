// Insights ("Inzichten") in the console, against the real server. Three visitors come in: one
// is helped, ends the chat and answers the two questions; one arrives through a campaign link
// and is helped; one gives up while waiting. Both held conversations get a registration. Then a
// supervisor opens the dashboard: the funnel counts what happened (3 started, 2 held, 1 about
// criminal involvement), the campaign has its own table, service levels and registrations show,
// every uPlot chart is drawn and has a table beside it, a period without conversations shows
// zeros and a quick button brings the data back (a refused period shows no figures of another);
// axe-core finds nothing. An analyst filters on
// the campaign (a choice supervisors do not get: they may not list campaigns), with the page's
// own Content Security Policy in force. A counsellor has no Inzichten button and gets 403.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeViolations, NewContext, NewPage, Screenshot } from './support/browser.mjs';
import { CounsellorAccepts, CounsellorEnds, CounsellorRegisters, CounsellorSignsIn, VisitorStartsChat } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';
import { AddStaff } from './support/server.mjs';

const env = ServerAndBrowser('insights', { staff: ['femke'] });
const kCampaign = 'poster-noord';
const kFunnelCaption = 'Trechter: aantal per stap en het deel van de stap ervoor';

// The body of the table captioned `caption`, as text per cell, or null while there is none.
function TableRows(page, caption) {
  return page.evaluate((wanted) => {
    const table = [...document.querySelectorAll('table')].find((t) => t.caption?.textContent.trim() === wanted);
    if (!table) return null;
    return [...table.tBodies[0].rows].map((row) => [...row.cells].map((cell) => cell.textContent.trim()));
  }, caption);
}

// Waits until the table captioned `caption` has a row headed `head` whose cell `column` (1 is
// the first after the head) reads `value`.
async function WaitForCell(page, caption, head, column, value) {
  await page.waitForFunction(
    ([wanted, rowHead, at, text]) => {
      const table = [...document.querySelectorAll('table')].find((t) => t.caption?.textContent.trim() === wanted);
      const row = table && [...table.tBodies[0].rows].find((r) => r.cells[0].textContent.trim() === rowHead);
      return row?.cells[at]?.textContent.trim() === text;
    },
    [caption, head, column, value],
  );
}

function Column(rows, index) {
  return rows.map((row) => Number(row[index].replace(/\D/g, '')));
}

function Sum(values) {
  return values.reduce((a, b) => a + b, 0);
}

async function OpenInsights(page) {
  await page.getByRole('button', { name: 'Inzichten', exact: true }).click();
  await page.getByRole('heading', { name: 'Inzichten', exact: true, level: 2 }).waitFor();
  await page.getByRole('table', { name: kFunnelCaption }).waitFor();
}

test('supervisors and analysts see what the chat did; counsellors do not', async () => {
  await AddStaff(env.dataDir, 'sanne', kPassword, 'supervisor');
  await AddStaff(env.dataDir, 'anouk', kPassword, 'analyst');

  // The analyst makes a campaign code for the link one visitor arrives with.
  const analyst = await NewPage(await NewContext(env.browser));
  await CounsellorSignsIn(analyst, env.server.origin, 'anouk', kPassword);
  await analyst.getByRole('button', { name: 'Campagnes', exact: true }).click();
  await analyst.getByRole('textbox', { name: 'Code' }).fill(kCampaign);
  await analyst.getByRole('textbox', { name: 'Omschrijving' }).fill('Posters in Noord');
  await analyst.getByRole('button', { name: 'Code aanmaken' }).click();
  await analyst.getByRole('rowheader', { name: new RegExp(kCampaign) }).waitFor();
  await analyst.getByRole('button', { name: 'Campagnes', exact: true }).click();

  const counsellor = await NewPage(await NewContext(env.browser));
  await CounsellorSignsIn(counsellor, env.server.origin, 'femke', kPassword);
  assert.equal(await counsellor.getByRole('button', { name: 'Inzichten' }).count(), 0);

  // Dani is helped, ends the chat and says it helped somewhat.
  const dani = await NewPage(await NewContext(env.browser));
  await VisitorStartsChat(dani, env.server.origin, { nickname: 'Dani' });
  await CounsellorAccepts(counsellor, 'Dani');
  await dani.getByText('is er nu voor je.', { exact: false }).waitFor();
  await dani.getByRole('button', { name: 'Chat beëindigen' }).click();
  await dani.getByRole('button', { name: 'Ja, beëindigen' }).click();
  await dani.getByRole('group', { name: 'Heeft dit gesprek je geholpen?' }).getByLabel('Een beetje').check();
  await dani.getByRole('button', { name: 'Verstuur je antwoorden' }).click();
  await dani.getByText('Dank je wel voor je antwoorden.').waitFor();
  await CounsellorRegisters(counsellor, 'Dani', { topic: 'Schulden', involved: 'Ja', region: 'Rotterdam' });

  // Sam comes through the campaign link; the counsellor ends that conversation.
  const sam = await NewPage(await NewContext(env.browser));
  const counted = sam.waitForResponse((r) => r.url().endsWith('/api/v1/visitor/events'));
  await sam.goto(`${env.server.origin}/?c=${kCampaign}`);
  assert.equal((await counted).status(), 204);
  await sam.getByRole('button', { name: 'Start een chat' }).click();
  await sam.getByLabel('Hoe mogen we je noemen? (niet verplicht)').fill('Sam');
  await sam.getByRole('radio', { name: 'Over mezelf' }).check();
  await sam.getByRole('button', { name: 'Chat starten' }).click();
  await sam.getByRole('heading', { name: 'Je bent in de wachtrij' }).waitFor();
  await CounsellorAccepts(counsellor, 'Sam');
  await CounsellorEnds(counsellor);
  await CounsellorRegisters(counsellor, 'Sam', { topic: 'Bedreiging', involved: 'Nee' });

  // Lou gives up while waiting.
  const lou = await NewPage(await NewContext(env.browser));
  await VisitorStartsChat(lou, env.server.origin, { nickname: 'Lou' });
  await counsellor.getByRole('button', { name: 'Gesprek met Lou aannemen' }).waitFor();
  await lou.getByRole('button', { name: 'Chat beëindigen' }).click();
  await lou.getByRole('button', { name: 'Ja, beëindigen' }).click();
  await lou.getByRole('heading', { name: 'Het gesprek is beëindigd' }).waitFor();
  await counsellor.getByRole('button', { name: 'Gesprek met Lou aannemen' }).waitFor({ state: 'detached' });

  // The counsellor may not read insights.
  const refused = await counsellor.evaluate(async () => {
    const response = await fetch('/api/v1/insights');
    return { status: response.status, body: await response.json() };
  });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, 'permission_denied');

  // The supervisor's dashboard (the last 28 days, today included).
  const supervisor = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await supervisor.setViewportSize({ width: 1280, height: 900 });
  await CounsellorSignsIn(supervisor, env.server.origin, 'sanne', kPassword);
  const listed = supervisor.waitForResponse((r) => r.url().endsWith('/api/v1/campaigns'));
  await OpenInsights(supervisor);
  const funnel = await TableRows(supervisor, kFunnelCaption);
  const step = (label) => funnel.find((row) => row[0] === label);
  assert.equal(step('Chats begonnen')[1], '3');
  assert.equal(step('Gesprekken gevoerd')[1], '2');
  assert.equal(step('Gesprekken gevoerd')[2], '66,7 %');
  assert.equal(step('Over criminele betrokkenheid')[1], '1');
  assert.equal(step('Over criminele betrokkenheid')[2], '50 %');
  assert.ok(Number(step('Bezoeken van de homepage')[1]) >= 1, 'the campaign visit counts');
  const campaign = await TableRows(supervisor, `Campagne ${kCampaign}`);
  assert.deepEqual(campaign.slice(0, 3).map((row) => row.slice(0, 2)), [
    ['Bezoeken van de homepage', '1'],
    ['Chats begonnen', '1'],
    ['Gesprekken gevoerd', '1'],
  ]);
  // Supervisors may not list campaigns: no campaign choice for them.
  assert.equal((await listed).status(), 403);
  assert.equal(await supervisor.getByLabel('Campagne', { exact: true }).count(), 0);

  // Service: two waited and were helped, one gave up; every start has its hour.
  const waiting = await TableRows(supervisor, 'Wachttijd: geholpen en afgehaakt');
  assert.equal(waiting.length, 9);
  assert.equal(Sum(Column(waiting, 1)), 2);
  assert.equal(Sum(Column(waiting, 2)), 1);
  const hours = await TableRows(supervisor, 'Chats per uur van de dag');
  assert.equal(hours.length, 24);
  assert.deepEqual([1, 2, 3].map((i) => Sum(Column(hours, i))), [3, 2, 1]);
  const weekdays = await TableRows(supervisor, 'Chats per dag van de week');
  assert.equal(weekdays[0][0], 'maandag');
  assert.equal(Sum(Column(weekdays, 1)), 3);
  await supervisor.getByText('1 bezoekers, mediaan wachttijd', { exact: false }).waitFor();

  // Registrations: the chosen topics, as a share of the two registered conversations.
  const topics = await TableRows(supervisor, 'Onderwerpen');
  assert.deepEqual(topics.find((row) => row[0] === 'Schulden'), ['Schulden', '1', '50 %']);
  assert.deepEqual(topics.find((row) => row[0] === 'Bedreiging'), ['Bedreiging', '1', '50 %']);
  assert.deepEqual((await TableRows(supervisor, 'Betrokken bij criminaliteit'))[0], ['Ja', '1', '50 %']);
  assert.deepEqual((await TableRows(supervisor, 'Gemeente (niet verplicht)'))[0], ['Rotterdam', '1', '50 %']);
  const feedback = await TableRows(supervisor, 'Feedback per week: heeft het gesprek geholpen, en zou de bezoeker terugkomen');
  assert.equal(Sum(feedback.map((row) => Number(row[2]))), 1, 'one "somewhat"');

  // Rises need two whole weeks of registrations: none yet.
  await supervisor.getByRole('heading', { name: 'Opvallende stijgingen' }).waitFor();
  await supervisor.getByText('Geen opvallende stijgingen', { exact: false }).waitFor();

  // Every chart is drawn by uPlot, hidden from screen readers, with a captioned table beside it.
  const charts = await supervisor.evaluate(() =>
    [...document.querySelectorAll('.insights-chart')].map((chart) => {
      const canvas = chart.querySelector('.uplot canvas');
      const box = canvas?.getBoundingClientRect();
      return {
        hidden: chart.getAttribute('aria-hidden'),
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        pixels: canvas ? canvas.width * canvas.height : 0,
        table: chart.closest('.chart-and-table')?.querySelector('table > caption')?.textContent.trim() ?? '',
      };
    }),
  );
  assert.ok(charts.length >= 4, `charts: ${JSON.stringify(charts)}`);
  for (const chart of charts) {
    assert.equal(chart.hidden, 'true');
    assert.ok(chart.width > 0 && chart.height > 0 && chart.pixels > 0, JSON.stringify(chart));
    assert.notEqual(chart.table, '', 'a chart without a table');
  }
  // uPlot drew on the funnel's canvas: it is not blank.
  const inked = await supervisor.evaluate(() => {
    const canvas = document.querySelector('.insights-chart .uplot canvas');
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
    return painted;
  });
  assert.ok(inked > 1000, `the funnel chart has ${inked} painted pixels`);

  assert.deepEqual(await AxeViolations(supervisor), [], 'axe on the insights');
  await Screenshot(supervisor, 'console-insights');

  // A period without conversations: zeros everywhere. Both dates change before the page renders
  // again (as autofill or a fast typist does), and both count.
  await supervisor.evaluate(() => {
    for (const [id, value] of [['insights-from', '2020-01-01'], ['insights-to', '2020-01-31']]) {
      const input = document.getElementById(id);
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
  });
  await supervisor.getByRole('button', { name: 'Toon', exact: true }).click();
  await WaitForCell(supervisor, kFunnelCaption, 'Chats begonnen', 1, '0');
  const empty = await TableRows(supervisor, kFunnelCaption);
  assert.deepEqual(empty.map((row) => row[1]), ['0', '0', '0', '0', '0', '0', '0']);
  assert.equal(Sum(Column(await TableRows(supervisor, 'Chats per uur van de dag'), 1)), 0);
  assert.equal((await TableRows(supervisor, 'Onderwerpen')).find((row) => row[0] === 'Schulden')[1], '0');
  await supervisor.getByText('Geen feedback in deze periode.').waitFor();
  assert.deepEqual(await AxeViolations(supervisor), [], 'axe on an empty period');

  // A period the server refuses: its message shows.
  await supervisor.getByLabel('Van', { exact: true }).fill('2020-02-01');
  await supervisor.getByRole('button', { name: 'Toon', exact: true }).click();
  await supervisor.getByRole('alert').filter({ hasText: 'De inzichten konden niet worden geladen. from and to are dates' }).waitFor();
  assert.equal(await supervisor.locator('.insights-body').count(), 0, 'no figures of another period under these dates');

  // The quick choice of a year ends today again.
  await supervisor.getByRole('button', { name: 'jaar', exact: true }).click();
  await WaitForCell(supervisor, kFunnelCaption, 'Chats begonnen', 1, '3');
  assert.equal((await supervisor.locator('.insights .error').textContent()).trim(), '');
  const from = await supervisor.getByLabel('Van', { exact: true }).inputValue();
  const to = await supervisor.getByLabel('Tot en met', { exact: true }).inputValue();
  const yearBefore = new Date(`${to}T00:00:00Z`);
  yearBefore.setUTCFullYear(yearBefore.getUTCFullYear() - 1);
  yearBefore.setUTCDate(yearBefore.getUTCDate() + 1);
  assert.equal(from, yearBefore.toISOString().slice(0, 10));

  // The analyst, under the page's own CSP, filters on the campaign.
  await analyst.setViewportSize({ width: 1280, height: 900 });
  await OpenInsights(analyst);
  await WaitForCell(analyst, kFunnelCaption, 'Chats begonnen', 1, '3');
  const choice = analyst.getByLabel('Campagne', { exact: true });
  await choice.locator(`option[value="${kCampaign}"]`).waitFor({ state: 'attached' });
  await choice.selectOption(kCampaign);
  await analyst.getByRole('button', { name: 'Toon', exact: true }).click();
  await WaitForCell(analyst, kFunnelCaption, 'Chats begonnen', 1, '1');
  assert.equal((await TableRows(analyst, 'Onderwerpen')).find((row) => row[0] === 'Bedreiging')[2], '100 %');
  await choice.selectOption('-');
  await analyst.getByRole('button', { name: 'Toon', exact: true }).click();
  await WaitForCell(analyst, kFunnelCaption, 'Chats begonnen', 1, '2');
  await analyst.locator('.insights-chart .uplot canvas').first().waitFor();

  // A municipality: visits are not counted per region.
  await choice.selectOption('');
  await analyst.getByLabel('Gemeenten', { exact: true }).fill('Rotterdam');
  await analyst.getByRole('button', { name: 'Toon', exact: true }).click();
  await WaitForCell(analyst, kFunnelCaption, 'Chats begonnen', 1, '1');
  await WaitForCell(analyst, kFunnelCaption, 'Bezoeken van de homepage', 1, 'niet geteld');
  await analyst.locator('.insights-status').filter({ hasText: 'Alleen Rotterdam.' }).waitFor();
  await analyst.getByText('dit is die van de hele dienst', { exact: false }).waitFor();

  for (const page of [analyst, counsellor, dani, sam, lou, supervisor]) assert.deepEqual(page.problems, []);
  for (const page of [analyst, counsellor, dani, sam, lou, supervisor]) await page.context().close();
});
