// Conversation review ("Gespreksreview") in the console, against the real server. Two visitors
// are helped by a counsellor and their chats ended. A supervisor draws a sample of both, sees
// "0 van 2 beoordeeld", opens the first conversation's transcript beside the rubric, scores
// every criterion (one "not applicable"), leaves a comment and saves: "1 van 2 beoordeeld".
// The Inzichten view's Methodologie section then shows the mean per criterion for this month
// and the distribution; axe-core finds nothing in either view. The counsellor has no
// Gespreksreview button and the server refuses them (permission_denied).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeViolations, NewContext, NewPage } from './support/browser.mjs';
import { CounsellorAccepts, CounsellorEnds, CounsellorSays, CounsellorSignsIn, VisitorStartsChat } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';
import { AddStaff } from './support/server.mjs';
import { ServiceDateOf } from '../../web/shared/i18n.js';

const env = ServerAndBrowser('review', { staff: ['femke'] });

function TableRows(page, caption) {
  return page.evaluate((wanted) => {
    const table = [...document.querySelectorAll('table')].find((t) => t.caption?.textContent.trim() === wanted);
    if (!table) return null;
    return [...table.tBodies[0].rows].map((row) => [...row.cells].map((cell) => cell.textContent.trim()));
  }, caption);
}

async function HeldAndEnded(counsellor, nickname, line) {
  const visitor = await NewPage(await NewContext(env.browser));
  await VisitorStartsChat(visitor, env.server.origin, { nickname });
  await CounsellorAccepts(counsellor, nickname);
  await CounsellorSays(counsellor, nickname, line);
  await visitor.getByText(line, { exact: true }).waitFor();
  await CounsellorEnds(counsellor);
  await counsellor.getByRole('form', { name: `Registratie van het gesprek met ${nickname}` }).waitFor();
}

test('a supervisor draws a sample, scores a conversation and sees the aggregate', async () => {
  await AddStaff(env.dataDir, 'sanne', kPassword, 'supervisor');

  const counsellor = await NewPage(await NewContext(env.browser));
  await CounsellorSignsIn(counsellor, env.server.origin, 'femke', kPassword);
  assert.equal(await counsellor.getByRole('button', { name: 'Gespreksreview' }).count(), 0);
  await HeldAndEnded(counsellor, 'Dani', 'Fijn dat je er bent, Dani.');
  await HeldAndEnded(counsellor, 'Sam', 'Hoi Sam, vertel maar.');
  const refused = await counsellor.evaluate(async () => {
    const response = await fetch('/api/v1/reviews/samples');
    return { status: response.status, body: await response.json() };
  });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, 'permission_denied');

  // axe-core is injected as a script: the page's Content Security Policy is bypassed for it.
  // The supervisor's browser is set thirteen hours ahead of Amsterdam, whose days the server
  // counts: its own date is not the service's for half of each day.
  const supervisor = await NewPage(
    await NewContext(env.browser, { bypassCSP: true, timezoneId: 'Pacific/Kiritimati' }),
  );
  await supervisor.setViewportSize({ width: 1280, height: 900 });
  await CounsellorSignsIn(supervisor, env.server.origin, 'sanne', kPassword);
  await supervisor.getByRole('button', { name: 'Gespreksreview', exact: true }).click();
  await supervisor.getByRole('heading', { name: 'Gespreksreview', level: 2 }).waitFor();
  await supervisor.getByText('Je hebt nog geen steekproef getrokken.').waitFor();

  // Draw: the last 30 days up to the service's today, at most 10, only those not reviewed yet.
  const before = ServiceDateOf(Date.now());
  const to = await supervisor.getByLabel('Tot en met', { exact: true }).inputValue();
  const from = await supervisor.getByLabel('Van', { exact: true }).inputValue();
  assert.ok([before, ServiceDateOf(Date.now())].includes(to), `the period ends today in Amsterdam, not ${to}`);
  await supervisor.getByRole('button', { name: 'Steekproef trekken' }).click();
  await supervisor.getByRole('status').getByText('Steekproef getrokken: 2 van 2 gesprekken.').waitFor();
  await supervisor
    .getByRole('table', { name: 'Mijn steekproeven' })
    .getByRole('cell', { name: `${from} t/m ${to}` })
    .waitFor();
  const sample = supervisor.getByRole('region', { name: 'Gesprekken in de steekproef' });
  await sample.getByText('0 van 2 beoordeeld').waitFor();
  assert.deepEqual(await AxeViolations(supervisor), []);

  // Open the first, read it beside the rubric, score and save.
  await sample.getByRole('button', { name: 'Gesprek 1 beoordelen' }).click();
  const transcript = supervisor.getByRole('region', { name: 'Verloop van Gesprek 1' });
  await transcript.getByText(/Fijn dat je er bent, Dani\.|Hoi Sam, vertel maar\./).waitFor();
  const rubric = supervisor.getByRole('form', { name: 'Beoordelingslijst' });
  await rubric.getByRole('button', { name: 'Beoordeling opslaan' }).click();
  await rubric.getByText('Geef nog een score voor:', { exact: false }).waitFor();
  for (const [criterion, level] of [
    ['Contact en veiligheid', '4 · Uitstekend'],
    ['Vraagverheldering', '3 · Goed'],
    ['Signalen en risico', 'Niet van toepassing'],
    ['Vervolgstap', '2 · Matig'],
    ['Afsluiting', '3 · Goed'],
  ]) {
    await rubric.getByRole('group', { name: criterion }).getByLabel(level).check();
  }
  await rubric.getByLabel('Opmerking voor de coaching (niet verplicht)').fill('Warm begin; vraag eerder door.');
  assert.deepEqual(await AxeViolations(supervisor), []);
  await rubric.getByRole('button', { name: 'Beoordeling opslaan' }).click();
  await supervisor.getByRole('status').getByText('Beoordeling opgeslagen. 1 van 2 beoordeeld.').waitFor();
  await sample.getByText('1 van 2 beoordeeld').waitFor();
  // The list of samples is read again after the save, on its own: wait for it, not for time.
  await supervisor
    .getByRole('table', { name: 'Mijn steekproeven' })
    .getByRole('cell', { name: '1 van 2 beoordeeld' })
    .waitFor();
  const samples = await TableRows(supervisor, 'Mijn steekproeven');
  assert.equal(samples.length, 1);
  assert.equal(samples[0][2], '1 van 2 beoordeeld');

  // Opening it again shows what was saved.
  await sample.getByRole('button', { name: 'Gesprek 1 beoordelen' }).click();
  await supervisor.getByRole('form', { name: 'Beoordelingslijst' }).waitFor();
  assert.equal(await supervisor.getByLabel('Opmerking voor de coaching (niet verplicht)').inputValue(), 'Warm begin; vraag eerder door.');
  assert.equal(
    await supervisor.getByRole('group', { name: 'Contact en veiligheid' }).getByLabel('4 · Uitstekend').isChecked(),
    true,
  );
  await supervisor.getByRole('button', { name: 'Terug naar de steekproef' }).click();

  // The aggregate in Inzichten: this month, never per counsellor.
  await supervisor.getByRole('button', { name: 'Gespreksreview sluiten' }).click();
  await supervisor.getByRole('button', { name: 'Inzichten', exact: true }).click();
  const section = supervisor.getByRole('region', { name: 'Methodologie' });
  await section.getByRole('table', { name: 'Gemiddelde score per onderdeel' }).waitFor();
  const means = await TableRows(supervisor, 'Gemiddelde score per onderdeel');
  const row = (label) => means.find((cells) => cells[0] === label);
  assert.equal(row('Beoordeelde gesprekken').at(-1), '1');
  assert.equal(row('Contact en veiligheid').at(-1), '4,0 (n=1)');
  assert.equal(row('Signalen en risico').at(-1), '–');
  const distribution = await TableRows(supervisor, 'Verdeling van de scores over de hele periode');
  assert.deepEqual(distribution.find((cells) => cells[0] === 'Signalen en risico').slice(1), ['0', '0', '0', '0', '1']);
  assert.equal(await section.getByText('femke').count(), 0);
  assert.deepEqual(await AxeViolations(supervisor), []);

  // The figures per week cannot be read: the month's are not left standing under "week".
  await supervisor.route('**/api/v1/insights/methodology?*', (route) =>
    new URL(route.request().url()).searchParams.get('period') === 'week'
      ? route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'try again' } }) })
      : route.continue(),
  );
  await section.getByLabel('Per', { exact: true }).selectOption('week');
  await section.getByText('De scores konden niet worden geladen. try again').waitFor();
  assert.equal(await section.getByRole('table').count(), 0);
});

// A transcript slow to come, after the supervisor went on to the sample's list: it stays away.
test('a transcript that comes after the supervisor went back to the sample does not open', async () => {
  const supervisor = await NewPage(await NewContext(env.browser));
  await CounsellorSignsIn(supervisor, env.server.origin, 'sanne', kPassword);
  await supervisor.getByRole('button', { name: 'Gespreksreview', exact: true }).click();
  const open = supervisor.getByRole('table', { name: 'Mijn steekproeven' }).getByRole('button').first();
  await open.click();
  const sample = supervisor.getByRole('region', { name: 'Gesprekken in de steekproef' });
  let release;
  const held = new Promise((resolve) => (release = resolve));
  const asked = new Promise((resolve) => {
    supervisor.route('**/api/v1/reviews/samples/*/conversations/*', async (route) => {
      resolve();
      await held;
      await route.continue();
    });
  });
  await sample.getByRole('button', { name: 'Gesprek 2 beoordelen' }).click();
  await asked;
  await open.click();
  const answered = supervisor.waitForEvent('requestfinished', (r) => r.url().includes('/conversations/'));
  release();
  await answered;
  // A frame of the page's own after the answer came whole: what it set off has rendered by then.
  await supervisor.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  await sample.getByRole('button', { name: 'Gesprek 2 beoordelen' }).waitFor();
  assert.equal(await supervisor.getByRole('form', { name: 'Beoordelingslijst' }).count(), 0);
});
