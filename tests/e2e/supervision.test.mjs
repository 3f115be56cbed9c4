// A counsellor's internal note and a supervisor who watches and whispers: both are plainly marked
// as staff-only in the console, the counsellor sees who watches, and the visitor sees none of it.
// axe-core finds nothing on the watched and the watching pane.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeViolations, NewContext, NewPage, Screenshot } from './support/browser.mjs';
import { CounsellorAccepts, CounsellorSays, CounsellorSignsIn, SeesMessage, VisitorSays, VisitorStartsChat } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';
import { AddStaff } from './support/server.mjs';

const env = ServerAndBrowser('supervision', { staff: ['lotte'] });

test('a supervisor watches and whispers, a counsellor notes; the visitor sees neither', async () => {
  const visitorContext = await NewContext(env.browser);
  const visitor = await NewPage(visitorContext);
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Ada' });
  const counsellorContext = await NewContext(env.browser, { bypassCSP: true });
  const counsellor = await NewPage(counsellorContext);
  await CounsellorSignsIn(counsellor, env.server.origin, 'lotte', kPassword);
  await CounsellorAccepts(counsellor, 'Ada');
  await VisitorSays(visitor, 'Ik moet morgen weer iets wegbrengen.');
  await SeesMessage(counsellor, 'Ik moet morgen weer iets wegbrengen.');

  await AddStaff(env.dataDir, 'sanne', kPassword, 'supervisor');
  const supervisorContext = await NewContext(env.browser, { bypassCSP: true });
  const supervisor = await NewPage(supervisorContext);
  await CounsellorSignsIn(supervisor, env.server.origin, 'sanne', kPassword);
  await supervisor.getByRole('button', { name: 'Team' }).click();
  await supervisor.getByRole('button', { name: 'Meekijken bij het gesprek van lotte met Ada' }).click();
  await supervisor.getByText('Je kijkt mee; de bezoeker ziet je niet.').waitFor();
  await SeesMessage(supervisor, 'Ik moet morgen weer iets wegbrengen.');
  await counsellor.getByText('sanne kijkt mee.').waitFor();

  await counsellor.getByLabel('Als interne notitie (de bezoeker ziet dit niet)').check();
  await counsellor.getByLabel('Interne notitie bij het gesprek met Ada (de bezoeker ziet dit niet)').fill('Koerier? Vraag naar schulden.');
  await counsellor.getByRole('button', { name: 'Notitie opslaan' }).click();
  await supervisor.getByText('Interne notitie van lotte').waitFor();
  await supervisor.getByText('Koerier? Vraag naar schulden.').waitFor();

  await supervisor.getByLabel('Fluister aan de hulpverlener van Ada (de bezoeker ziet dit niet)').fill('Vraag of ze thuis veilig is.');
  await supervisor.getByRole('button', { name: 'Fluisteren' }).click();
  await counsellor.getByText('Gefluisterd door sanne').waitFor();
  await counsellor.getByText('Vraag of ze thuis veilig is.').waitFor();
  await Screenshot(counsellor, 'counsellor-note-and-whisper');
  await Screenshot(supervisor, 'supervisor-monitors-and-whispers');
  assert.deepEqual(await AxeViolations(counsellor), [], 'axe on the watched pane');
  assert.deepEqual(await AxeViolations(supervisor), [], 'axe on the watching pane');

  await counsellor.getByLabel('Als interne notitie (de bezoeker ziet dit niet)').uncheck();
  await CounsellorSays(counsellor, 'Ada', 'Ben je thuis veilig?');
  await SeesMessage(visitor, 'Ben je thuis veilig?');
  // After a reload (a replay from the start), still nothing staff-only.
  await visitor.reload();
  await SeesMessage(visitor, 'Ben je thuis veilig?');
  for (const hidden of ['Koerier? Vraag naar schulden.', 'Vraag of ze thuis veilig is.', 'sanne', 'kijkt mee']) {
    assert.equal(await visitor.getByText(hidden, { exact: false }).count(), 0, `the visitor never sees "${hidden}"`);
  }

  await supervisor.getByRole('button', { name: 'Stop met meekijken' }).click();
  await counsellor.getByText('sanne kijkt mee.').waitFor({ state: 'detached' });

  // Watching again, until lotte hands the chat back to the queue: the watch ends with it, and
  // the supervisor reads why. (The Team panel is still open.)
  await supervisor.getByRole('button', { name: 'Meekijken bij het gesprek van lotte met Ada' }).click();
  await counsellor.getByText('sanne kijkt mee.').waitFor();
  await counsellor.getByRole('button', { name: 'Terug naar de wachtrij' }).click();
  const watchEnded = supervisor.getByText('Dit gesprek staat weer in de wachtrij; je kijkt niet meer mee.');
  await watchEnded.waitFor();
  await supervisor.locator('section', { has: watchEnded }).getByRole('button', { name: 'Sluiten', exact: true }).click();
  await supervisor.getByText('Je kijkt mee; de bezoeker ziet je niet.').waitFor({ state: 'detached' });
  assert.deepEqual(counsellor.problems, []);
  assert.deepEqual(supervisor.problems, []);
  assert.deepEqual(visitor.problems, []);
  for (const context of [visitorContext, counsellorContext, supervisorContext]) await context.close();
});

// A reconnect follows every watched chat again; the console must not pull the supervisor away
// from the chat they are working in to the one they watch.
test('a reconnect leaves a supervisor in the chat they were in, not the one they watch', async () => {
  const contexts = [];
  const page = async (options = {}) => {
    const context = await NewContext(env.browser, options);
    contexts.push(context);
    return NewPage(context);
  };
  const visitorA = await page();
  await VisitorStartsChat(visitorA, env.server.origin, { nickname: 'Ida' });
  const counsellor = await page({ bypassCSP: true });
  await CounsellorSignsIn(counsellor, env.server.origin, 'lotte', kPassword);
  await CounsellorAccepts(counsellor, 'Ida');

  await AddStaff(env.dataDir, 'joris', kPassword, 'supervisor');
  const supervisor = await page({ bypassCSP: true });
  let drop = null;
  let watches = 0;
  let followedAgain = null;
  const reconnected = new Promise((resolve) => {
    followedAgain = resolve;
  });
  await supervisor.routeWebSocket(/\/api\/v1\/staff\/ws/, (ws) => {
    const server = ws.connectToServer();
    drop = () => {
      ws.close();
      server.close();
    };
    ws.onMessage((message) => server.send(message));
    server.onMessage((message) => {
      ws.send(message);
      if (JSON.parse(message).type === 'monitoring' && ++watches === 2) followedAgain();
    });
  });
  await CounsellorSignsIn(supervisor, env.server.origin, 'joris', kPassword);
  const visitorB = await page();
  await VisitorStartsChat(visitorB, env.server.origin, { nickname: 'Bas' });
  await CounsellorAccepts(supervisor, 'Bas');
  await supervisor.getByRole('button', { name: 'Team' }).click();
  await supervisor.getByRole('button', { name: 'Meekijken bij het gesprek van lotte met Ida' }).click();
  await supervisor.getByText('Je kijkt mee; de bezoeker ziet je niet.').waitFor();

  await supervisor.getByRole('navigation', { name: 'Mijn gesprekken' }).getByRole('button', { name: /Bas/ }).click();
  await supervisor.getByLabel('Bericht aan Bas').fill('Ik ben er.');
  drop();
  await reconnected;
  // Sent after the watched chat's `monitoring` frame, over the same socket: answered after it.
  await CounsellorSays(supervisor, 'Bas', 'Ik ben er.');
  await SeesMessage(visitorB, 'Ik ben er.');
  await supervisor.getByText('wordt verzonden…').waitFor({ state: 'detached' });
  assert.equal(await supervisor.getByText('Je kijkt mee; de bezoeker ziet je niet.').count(), 0);
  assert.deepEqual(supervisor.problems, []);
  for (const context of contexts) await context.close();
});

test('a counsellor reads a conversation that ended again in their history', async () => {
  const visitorContext = await NewContext(env.browser);
  const visitor = await NewPage(visitorContext);
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Bram' });
  const context = await NewContext(env.browser, { bypassCSP: true });
  const counsellor = await NewPage(context);
  await CounsellorSignsIn(counsellor, env.server.origin, 'lotte', kPassword);
  await CounsellorAccepts(counsellor, 'Bram');
  await VisitorSays(visitor, 'Ze willen dat ik mijn pas uitleen.');
  await SeesMessage(counsellor, 'Ze willen dat ik mijn pas uitleen.');
  await counsellor.getByRole('button', { name: 'Gesprek beëindigen' }).click();
  await counsellor.getByRole('button', { name: 'Ja, beëindigen' }).click();
  await counsellor.getByText('Het gesprek is beëindigd').first().waitFor();

  await counsellor.getByRole('button', { name: 'Mijn geschiedenis' }).click();
  await counsellor.getByRole('button', { name: 'Gesprek met Bram teruglezen' }).click();
  await counsellor.getByRole('heading', { name: 'Het gesprek met Bram', exact: true }).waitFor();
  await counsellor.locator('.transcript').getByText('Ze willen dat ik mijn pas uitleen.').waitFor();
  assert.deepEqual(await AxeViolations(counsellor), [], 'axe on the history');
  await Screenshot(counsellor, 'counsellor-history');
  // The focus is on the transcript, and back on its button once it is closed.
  const focused = () => counsellor.evaluate(() => document.activeElement?.textContent.trim());
  assert.equal(await focused(), 'Het gesprek met Bram');
  await counsellor.getByRole('button', { name: 'Gesprek sluiten' }).click();
  await counsellor.locator('.transcript').waitFor({ state: 'detached' });
  assert.equal(await counsellor.evaluate(() => document.activeElement?.getAttribute('aria-label')),
    'Gesprek met Bram teruglezen');
  assert.deepEqual(counsellor.problems, []);
  for (const c of [visitorContext, context]) await c.close();
});

test('a supervisor keeps canned responses; a counsellor inserts one with Ctrl+K and edits it before sending', async () => {
  await AddStaff(env.dataDir, 'sven', kPassword, 'supervisor');
  const supervisorContext = await NewContext(env.browser, { bypassCSP: true });
  const supervisor = await NewPage(supervisorContext);
  await CounsellorSignsIn(supervisor, env.server.origin, 'sven', kPassword);
  await supervisor.getByRole('button', { name: 'Standaardantwoorden' }).click();
  await supervisor.getByRole('button', { name: 'Nieuw standaardantwoord' }).click();
  await supervisor.getByLabel('Titel').fill('Anoniem');
  await supervisor.getByLabel('Tekst', { exact: true }).fill('Je bent hier anoniem: we vragen niet naar je naam.');
  await supervisor.getByLabel('Tags (gescheiden door komma\'s)').fill('anoniem, begin');
  await supervisor.getByRole('button', { name: 'Opslaan' }).dblclick();
  await supervisor.getByRole('button', { name: 'Anoniem wijzigen' }).waitFor();
  assert.equal((await CannedList(supervisor)).filter((r) => r.title === 'Anoniem').length, 1,
    'a double click saves one response');
  assert.deepEqual(await AxeViolations(supervisor), [], 'axe on the library');
  await Screenshot(supervisor, 'supervisor-canned-library');

  const visitorContext = await NewContext(env.browser);
  const visitor = await NewPage(visitorContext);
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Cleo' });
  const context = await NewContext(env.browser, { bypassCSP: true });
  const counsellor = await NewPage(context);
  await CounsellorSignsIn(counsellor, env.server.origin, 'lotte', kPassword);
  await CounsellorAccepts(counsellor, 'Cleo');
  const box = counsellor.getByLabel('Bericht aan Cleo');
  await box.fill('Hoi Cleo.');
  await box.press('Control+k');
  // Enter on a search that finds nothing leaves the draft unsent.
  await counsellor.getByLabel('Zoek een standaardantwoord').fill('geen-zo-antwoord');
  await counsellor.getByText('Geen standaardantwoord gevonden.').waitFor();
  await counsellor.getByLabel('Zoek een standaardantwoord').press('Enter');
  assert.equal(await box.inputValue(), 'Hoi Cleo.');
  await counsellor.getByLabel('Zoek een standaardantwoord').fill('anoniem');
  await counsellor.getByRole('button', { name: /Anoniem/ }).waitFor();
  assert.deepEqual(await AxeViolations(counsellor), [], 'axe on the picker');
  await Screenshot(counsellor, 'counsellor-canned-picker');
  await counsellor.getByLabel('Zoek een standaardantwoord').press('Enter');
  assert.equal(await box.inputValue(), 'Hoi Cleo. Je bent hier anoniem: we vragen niet naar je naam.');
  await box.press('End');
  await box.pressSequentially(' Wat is er?');
  await box.press('Enter');
  await SeesMessage(visitor, 'Hoi Cleo. Je bent hier anoniem: we vragen niet naar je naam. Wat is er?');
  assert.equal(await visitor.getByRole('log').getByText('Hoi Cleo.', { exact: true }).count(), 0,
    'the draft was not sent on its own');
  assert.deepEqual(counsellor.problems, []);

  // Two supervisors change the response at once: the second save does not overwrite the first
  // unseen. It is told, keeps what was typed, and a second save replaces the colleague's.
  await supervisor.getByRole('button', { name: 'Anoniem wijzigen' }).click();
  await supervisor.getByLabel('Tekst', { exact: true }).fill('Je bent hier anoniem.');
  await supervisor.evaluate(async () => {
    const api = await import('/assets/console/api.js');
    await api.Me();
    const [response] = await api.CannedResponses();
    await api.SaveCanned(response.id, { ...response, body: 'Een collega schreef dit.', based_on: response.updated_at });
  });
  await supervisor.getByRole('button', { name: 'Opslaan' }).click();
  await supervisor.getByText('Een collega heeft dit standaardantwoord intussen veranderd.', { exact: false }).waitFor();
  assert.equal((await CannedList(supervisor))[0].body, 'Een collega schreef dit.');
  assert.equal(await supervisor.getByLabel('Tekst', { exact: true }).inputValue(), 'Je bent hier anoniem.');
  await supervisor.getByRole('button', { name: 'Opslaan' }).click();
  await supervisor.getByRole('button', { name: 'Anoniem wijzigen' }).waitFor();
  assert.equal((await CannedList(supervisor))[0].body, 'Je bent hier anoniem.');

  // Deleting asks first; "Nee" gives the focus back to the button.
  await supervisor.getByRole('button', { name: 'Anoniem verwijderen', exact: true }).click();
  await supervisor.getByText('Anoniem verwijderen? Dit kan niet ongedaan worden gemaakt.').waitFor();
  await supervisor.getByRole('button', { name: 'Nee', exact: true }).click();
  await supervisor.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Anoniem verwijderen');
  await supervisor.getByRole('button', { name: 'Anoniem verwijderen', exact: true }).click();
  await supervisor.getByRole('button', { name: 'Ja, verwijderen' }).click();
  // Not the button: it is gone already while the question is asked, before the deletion.
  await supervisor.getByRole('listitem').filter({ hasText: 'Je bent hier anoniem' }).waitFor({ state: 'detached' });
  assert.deepEqual(await CannedList(supervisor), []);
  assert.deepEqual(supervisor.problems, []);
  for (const c of [visitorContext, context, supervisorContext]) await c.close();
});

async function CannedList(page) {
  return page.evaluate(async () => (await (await fetch('/api/v1/canned')).json()).responses);
}
