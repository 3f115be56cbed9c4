// Handover with consent: an admin adds an organisation to the directory; in a chat the
// counsellor asks the visitor's consent; the visitor says yes with a button (their connection
// drops with it, then the server cannot take it for a moment, and the page gives the answer
// until it is taken); the counsellor
// records what was agreed and the contact details, sealed for staff; the visitor never sees
// them; the referral's status is updated under "Referrals", and a change that a supervisor's
// came before is refused, not written over it. axe-core finds nothing on the
// directory, the consent question, the referral form nor the referrals list.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeViolations, NewContext, NewPage, Screenshot } from './support/browser.mjs';
import { CounsellorAccepts, CounsellorEnds, CounsellorSignsIn, SeesMessage, VisitorStartsChat } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';
import { AddStaff } from './support/server.mjs';

const env = ServerAndBrowser('handover', { staff: ['femke'] });

test('a visitor agrees in the chat to a handover, which the counsellor records and follows', async () => {
  await AddStaff(env.dataDir, 'beheer', kPassword, 'admin');
  const admin = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await CounsellorSignsIn(admin, env.server.origin, 'beheer', kPassword);
  await admin.getByRole('button', { name: 'Organisaties' }).click();
  await admin.getByRole('button', { name: 'Organisatie toevoegen' }).click();
  const editor = admin.getByRole('form', { name: 'Nieuwe organisatie' });
  await editor.getByLabel('Naam').fill('Jeugdzorg Rijnmond');
  await editor.getByLabel('Gemeente of regio').fill('Rotterdam');
  await editor.getByLabel('Regionale contactpersoon').fill('Ilse de Vries');
  await editor.getByRole('button', { name: 'Opslaan' }).click();
  await admin.getByText('Ilse de Vries', { exact: false }).waitFor();
  assert.deepEqual(await AxeViolations(admin), [], 'axe on the directory');
  await Screenshot(admin, 'admin-organisations');

  const visitor = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  // The visitor's connection drops with their first answer, before it reaches the server, and
  // the server cannot take the second one for now: the page must give it until it is taken.
  let answersSent = 0;
  await visitor.routeWebSocket(/\/api\/v1\/visitor\/ws/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const frame = JSON.parse(message);
      if (frame.type === 'consent') answersSent += 1;
      if (frame.type === 'consent' && answersSent === 1) {
        ws.close();
        server.close();
        return;
      }
      if (frame.type === 'consent' && answersSent === 2) {
        ws.send(JSON.stringify({ type: 'error', code: 'unavailable', message: 'try again', ref: frame.client_id }));
        return;
      }
      server.send(message);
    });
  });
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Dani' });
  const counsellor = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await CounsellorSignsIn(counsellor, env.server.origin, 'femke', kPassword);
  await CounsellorAccepts(counsellor, 'Dani');
  await counsellor.getByRole('button', { name: 'Doorverwijzen (met toestemming)' }).click();
  const ask = counsellor.getByRole('form', { name: 'Toestemming vragen aan Dani' });
  await ask.getByLabel('Organisatie').selectOption({ label: 'Jeugdzorg Rijnmond (Rotterdam)' });
  await ask.getByRole('button', { name: 'Toestemming vragen' }).click();
  await counsellor.getByText('Wacht op het antwoord van Dani over Jeugdzorg Rijnmond.').waitFor();

  await visitor.getByText('in contact brengen met Jeugdzorg Rijnmond', { exact: false }).waitFor();
  assert.deepEqual(await AxeViolations(visitor), [], 'axe on the consent question');
  await Screenshot(visitor, 'visitor-consent-question');
  await visitor.getByRole('button', { name: 'Ja, dat is goed' }).click();
  await visitor.getByText('Je hebt gezegd dat het goed is.').waitFor();
  // The answer takes the place, and the keyboard, of the button pressed.
  assert.equal(await visitor.evaluate(() => document.activeElement?.textContent), 'Je hebt gezegd dat het goed is.');

  const form = counsellor.getByRole('form', { name: 'Doorverwijzing van Dani naar Jeugdzorg Rijnmond' });
  await form.getByLabel('Wat is afgesproken').fill('Ilse belt Dani morgen na school.');
  assert.equal(answersSent, 3, 'lost with the connection, refused for now, then taken');
  await form.getByLabel('Contactgegevens die de bezoeker wil geven', { exact: false }).fill('06 12345678');
  assert.deepEqual(await AxeViolations(counsellor), [], 'axe on the referral form');
  await Screenshot(counsellor, 'counsellor-referral-form');
  await form.getByRole('button', { name: 'Doorverwijzing vastleggen' }).click();
  await counsellor.getByText('De doorverwijzing naar Jeugdzorg Rijnmond is vastgelegd', { exact: false }).waitFor();
  await counsellor.getByRole('log').getByText('06 12345678', { exact: false }).waitFor();
  assert.equal(await visitor.getByText('06 12345678', { exact: false }).count(), 0, 'sealed for staff');

  await counsellor.getByRole('button', { name: 'Doorverwijzingen' }).click();
  const referrals = counsellor.getByRole('region', { name: 'Mijn doorverwijzingen' });
  const status = referrals.getByLabel('Status van de doorverwijzing naar Jeugdzorg Rijnmond', { exact: true });
  assert.equal(await status.inputValue(), 'proposed');
  // Arrow keys pass statuses without saving any: the choice is saved with its own button.
  await status.focus();
  await counsellor.keyboard.press('ArrowDown');
  await counsellor.keyboard.press('ArrowDown');
  await status.selectOption('accepted');
  const stored = async (page) =>
    (await (await page.request.get(`${env.server.origin}/api/v1/referrals`)).json()).referrals[0].status;
  assert.equal(await stored(counsellor), 'proposed', 'nothing saved by choosing');
  await referrals.getByRole('button', { name: /opslaan als/ }).click();
  await referrals.getByRole('button', { name: /opslaan als/ }).waitFor({ state: 'detached' });
  assert.equal(await status.inputValue(), 'accepted');
  assert.equal(await stored(counsellor), 'accepted');
  await counsellor.waitForFunction(() => document.activeElement?.id?.startsWith('referral-'));
  assert.deepEqual(await AxeViolations(counsellor), [], 'axe on the referrals');
  await Screenshot(counsellor, 'counsellor-referrals');

  // A supervisor completes it while the counsellor's list still says accepted: the counsellor's
  // later choice does not undo theirs, and the list shows what is true now.
  await AddStaff(env.dataDir, 'sanne', kPassword, 'supervisor');
  const supervisor = await NewPage(await NewContext(env.browser));
  await CounsellorSignsIn(supervisor, env.server.origin, 'sanne', kPassword);
  await supervisor.getByRole('button', { name: 'Doorverwijzingen' }).click();
  const team = supervisor.getByRole('region', { name: 'Doorverwijzingen van het team' });
  await team.getByLabel('Status van de doorverwijzing naar Jeugdzorg Rijnmond', { exact: true }).selectOption('completed');
  await team.getByRole('button', { name: /opslaan als/ }).click();
  await supervisor.waitForFunction(
    () => document.querySelector('select[id^="referral-"]')?.value === 'completed',
  );
  await status.selectOption('declined');
  await referrals.getByRole('button', { name: /opslaan als/ }).click();
  await referrals.getByText('Een collega heeft de status intussen veranderd.', { exact: false }).waitFor();
  await counsellor.waitForFunction(
    () => document.querySelector('select[id^="referral-"]')?.value === 'completed',
  );
  for (const page of [admin, visitor, counsellor, supervisor]) assert.deepEqual(page.problems, []);
});

// The visitor says yes and leaves at once: the counsellor's half-written referral stays in the
// ended chat's pane, with what was typed, and is recorded from there. The referral's entry never
// reaches this console (as when its socket reconnected after the end and no longer follows the
// chat): the server's answer alone says it is recorded.
test('a referral the visitor agreed to is recorded after they left the chat', async () => {
  await AddStaff(env.dataDir, 'joost', kPassword);
  await AddStaff(env.dataDir, 'beheer2', kPassword, 'admin');
  const admin = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await CounsellorSignsIn(admin, env.server.origin, 'beheer2', kPassword);
  await admin.evaluate(async () => {
    const api = await import('/assets/console/api.js');
    await api.Me();
    await api.AddOrganisation({ name: 'Veilig Thuis Twente', region: 'Enschede' });
  });
  const visitor = await NewPage(await NewContext(env.browser));
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Mo' });
  const counsellor = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  let referralEntries = 0;
  await counsellor.routeWebSocket(/\/api\/v1\/staff\/ws/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => server.send(message));
    server.onMessage((message) => {
      const frame = JSON.parse(message);
      if (frame.type === 'message' && frame.message?.kind === 'referral') {
        referralEntries += 1;
        return;
      }
      ws.send(message);
    });
  });
  await CounsellorSignsIn(counsellor, env.server.origin, 'joost', kPassword);
  await CounsellorAccepts(counsellor, 'Mo');
  await counsellor.getByRole('button', { name: 'Doorverwijzen (met toestemming)' }).click();
  const ask = counsellor.getByRole('form', { name: 'Toestemming vragen aan Mo' });
  await ask.getByLabel('Organisatie').selectOption({ label: 'Veilig Thuis Twente (Enschede)' });
  await ask.getByRole('button', { name: 'Toestemming vragen' }).click();
  await visitor.getByRole('button', { name: 'Ja, dat is goed' }).click();

  const form = counsellor.getByRole('form', { name: 'Doorverwijzing van Mo naar Veilig Thuis Twente' });
  await form.getByLabel('Wat is afgesproken').fill('Ilse belt Mo vrijdag.');
  await visitor.getByRole('button', { name: 'Chat beëindigen' }).click();
  await visitor.getByRole('button', { name: 'Ja, beëindigen' }).click();
  await counsellor.getByRole('status').getByText('Het gesprek is beëindigd').waitFor();
  assert.equal(await counsellor.getByRole('textbox', { name: /Bericht aan Mo/ }).count(), 0, 'ended');
  assert.equal(await form.getByLabel('Wat is afgesproken').inputValue(), 'Ilse belt Mo vrijdag.');
  await form.getByRole('button', { name: 'Doorverwijzing vastleggen' }).click();
  await counsellor.getByText('De doorverwijzing naar Veilig Thuis Twente is vastgelegd', { exact: false }).waitFor();
  assert.equal(await form.count(), 0, 'the form goes once the referral is recorded');
  assert.ok(referralEntries <= 1, 'the entry, if sent, was held back');
  assert.equal(await counsellor.getByRole('button', { name: 'Doorverwijzen (met toestemming)' }).count(), 0,
    'no new question in a chat that is over');
  for (const page of [admin, visitor, counsellor]) assert.deepEqual(page.problems, []);
});

// A question left unanswered when the chat ends can no longer be answered: its buttons go.
test('the buttons of a consent question go when the chat ends unanswered', async () => {
  await AddStaff(env.dataDir, 'noor', kPassword);
  const visitor = await NewPage(await NewContext(env.browser));
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Sem' });
  const counsellor = await NewPage(await NewContext(env.browser));
  await CounsellorSignsIn(counsellor, env.server.origin, 'noor', kPassword);
  await CounsellorAccepts(counsellor, 'Sem');
  await counsellor.getByRole('button', { name: 'Doorverwijzen (met toestemming)' }).click();
  const ask = counsellor.getByRole('form', { name: 'Toestemming vragen aan Sem' });
  await ask.getByLabel('Organisatie').selectOption({ label: 'Veilig Thuis Twente (Enschede)' });
  await ask.getByRole('button', { name: 'Toestemming vragen' }).click();
  await visitor.getByRole('button', { name: 'Ja, dat is goed' }).waitFor();
  await CounsellorEnds(counsellor);
  await visitor.getByRole('heading', { name: 'Het gesprek is beëindigd' }).waitFor();
  await visitor.getByText('in contact brengen met Veilig Thuis Twente', { exact: false }).waitFor();
  assert.equal(await visitor.getByRole('button', { name: 'Ja, dat is goed' }).count(), 0);
  assert.equal(await visitor.getByRole('button', { name: 'Nee, liever niet' }).count(), 0);
  assert.deepEqual(visitor.problems, []);
});
