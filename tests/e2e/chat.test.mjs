// A visitor and a counsellor, each in their own browser context, chat in real time through the
// real binary; either side may end the chat and the other sees it ended.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CountRewrites, NewContext, NewPage } from './support/browser.mjs';
import {
  CounsellorAccepts,
  CounsellorEnds,
  CounsellorSays,
  CounsellorSignsIn,
  SeesMessage,
  KeptInTab,
  VisitorSays,
  VisitorStartsChat,
} from './support/flows.mjs';
import { AddStaff } from './support/server.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';

const env = ServerAndBrowser('chat');

// Opens both sides and brings a chat to the point where messages went both ways.
async function ChatUnderWay(nickname, username) {
  await AddStaff(env.dataDir, username, kPassword);
  const visitorContext = await NewContext(env.browser);
  const counsellorContext = await NewContext(env.browser);
  const visitor = await NewPage(visitorContext);
  const counsellor = await NewPage(counsellorContext);

  await VisitorStartsChat(visitor, env.server.origin, { nickname, subject: 'other' });
  await CounsellorSignsIn(counsellor, env.server.origin, username, kPassword);
  const entry = counsellor.getByRole('listitem').filter({ hasText: nickname });
  await entry.getByText('over iemand anders', { exact: false }).waitFor();
  await CounsellorAccepts(counsellor, nickname);

  await visitor.getByText('is er nu voor je.', { exact: false }).waitFor();
  await visitor.getByRole('heading', { name: 'Je bent in de wachtrij' }).waitFor({ state: 'hidden' });

  await CounsellorSays(counsellor, nickname, 'Hoi, fijn dat je er bent.');
  await SeesMessage(visitor, 'Hoi, fijn dat je er bent.');
  await VisitorSays(visitor, 'Ik moet pakketjes rondbrengen.');
  await SeesMessage(counsellor, 'Ik moet pakketjes rondbrengen.');
  await CounsellorSays(counsellor, nickname, 'Dat klinkt zwaar. Vertel eens meer.');
  await SeesMessage(visitor, 'Dat klinkt zwaar. Vertel eens meer.');

  for (const page of [visitor, counsellor]) {
    await page.getByText('wordt verzonden…').waitFor({ state: 'detached' });
  }
  return { visitor, counsellor, contexts: [visitorContext, counsellorContext] };
}

test('counsellor ends the chat; the visitor sees it ended and can start a new one', async () => {
  const { visitor, counsellor, contexts } = await ChatUnderWay('Sam', 'anna');
  await visitor.getByLabel('Je bericht').fill('Half getypt, nooit verstuurd.');

  await counsellor.getByRole('button', { name: 'Gesprek beëindigen' }).click();
  await counsellor.getByRole('button', { name: 'Ja, beëindigen' }).click();
  await counsellor.getByText('Je hebt het gesprek beëindigd.').waitFor();
  await visitor.getByRole('heading', { name: 'Het gesprek is beëindigd' }).waitFor();
  await visitor.getByText('De hulpverlener heeft het gesprek beëindigd.').waitFor();
  assert.equal(await visitor.getByLabel('Je bericht').isVisible(), false);
  assert.equal(await visitor.getByLabel('Je bericht').inputValue(), '', 'no unsent words left hidden');

  await visitor.getByRole('button', { name: 'Start een nieuwe chat' }).click();
  await visitor.getByRole('heading', { name: 'Voordat je begint' }).waitFor();
  assert.equal(await KeptInTab(visitor), 0);

  // A whole chat left no cookie and nothing in localStorage, and asked no other host for anything.
  const [visitorContext] = contexts;
  assert.deepEqual(await visitorContext.cookies(), []);
  assert.equal(await visitor.evaluate(() => localStorage.length), 0);
  assert.deepEqual(visitorContext.blocked, []);
  await visitor.getByLabel('Hoe mogen we je noemen? (niet verplicht)').fill('Sam2');
  await visitor.getByRole('button', { name: 'Chat starten' }).click();
  await visitor.getByRole('heading', { name: 'Je bent in de wachtrij' }).waitFor();
  await counsellor.getByRole('button', { name: 'Gesprek met Sam2 aannemen' }).waitFor();

  assert.deepEqual(visitor.problems, []);
  assert.deepEqual(counsellor.problems, []);
  await Promise.all(contexts.map((c) => c.close()));
});

test('a visitor asks that the chat be deleted when it is over, and is told so at the end', async () => {
  const { visitor, counsellor } = await ChatUnderWay('Noor', 'femke');
  await visitor.getByRole('button', { name: 'Wis dit gesprek als het klaar is' }).click();
  await visitor
    .getByRole('status')
    .getByText('Dit gesprek wordt gewist zodra het is afgelopen', { exact: false })
    .waitFor();
  assert.equal(
    await visitor.getByRole('button', { name: 'Wis dit gesprek als het klaar is' }).count(),
    0,
  );
  // The button went away: the keyboard stays in the chat, not at the top of the page.
  assert.equal(await visitor.evaluate(() => document.activeElement?.id), 'end-chat');
  await counsellor.getByRole('button', { name: 'Gesprek beëindigen' }).click();
  await counsellor.getByRole('button', { name: 'Ja, beëindigen' }).click();
  await visitor.getByText('binnen een minuut gewist', { exact: false }).waitFor();
  assert.deepEqual(visitor.problems, []);
});

// Asked for while the connection was down, the request goes when it comes back, also when the
// chat ended meanwhile: the visitor's wish is not dropped on the way.
test('a request to delete the chat made offline is sent once back, after the end too', async () => {
  await AddStaff(env.dataDir, 'wout', kPassword);
  const contexts = [await NewContext(env.browser), await NewContext(env.browser)];
  const [visitor, counsellor] = await Promise.all(contexts.map((c) => NewPage(c)));
  let down = false;
  let current = null;
  await visitor.routeWebSocket(/\/api\/v1\/visitor\/ws/, (ws) => {
    if (down) {
      ws.close();
      return;
    }
    const server = ws.connectToServer();
    current = { ws, server };
  });
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Fenna' });
  await CounsellorSignsIn(counsellor, env.server.origin, 'wout', kPassword);
  await CounsellorAccepts(counsellor, 'Fenna');
  await visitor.getByText('is er nu voor je.', { exact: false }).waitFor();

  down = true;
  current.ws.close();
  current.server.close();
  await visitor.getByRole('button', { name: 'Wis dit gesprek als het klaar is' }).click();
  await counsellor.getByRole('button', { name: 'Gesprek beëindigen' }).click();
  await counsellor.getByRole('button', { name: 'Ja, beëindigen' }).click();
  await counsellor.getByText('Gesprek beëindigd', { exact: false }).first().waitFor();
  down = false;
  await visitor.getByText('binnen een minuut gewist', { exact: false }).waitFor({ timeout: 30_000 });
  await Promise.all(contexts.map((c) => c.close()));
});

// The counsellor ends the chat just after the visitor's last message was stored: the page may
// hear of the end before the ack of that message (acks are not ordered with entries). The
// message reached the counsellor, so the page must not call it not sent.
test('a message acknowledged just after the end still shows as sent', async () => {
  await AddStaff(env.dataDir, 'vera', kPassword);
  const contexts = [await NewContext(env.browser), await NewContext(env.browser)];
  const [visitor, counsellor] = await Promise.all(contexts.map((c) => NewPage(c)));
  let holdAcks = false;
  const held = [];
  await visitor.routeWebSocket(/\/api\/v1\/visitor\/ws/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => server.send(message));
    server.onMessage((message) => {
      const frame = JSON.parse(message);
      if (holdAcks && frame.type === 'ack') {
        held.push(message);
        return;
      }
      ws.send(message);
      if (frame.type === 'message' && frame.message?.kind === 'ended') {
        for (const ack of held.splice(0)) ws.send(ack);
      }
    });
  });
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Ilse' });
  await CounsellorSignsIn(counsellor, env.server.origin, 'vera', kPassword);
  await CounsellorAccepts(counsellor, 'Ilse');
  await visitor.getByText('is er nu voor je.', { exact: false }).waitFor();

  holdAcks = true;
  await VisitorSays(visitor, 'Mijn laatste woord.');
  await SeesMessage(counsellor, 'Mijn laatste woord.');
  await CounsellorEnds(counsellor);
  await visitor.getByRole('heading', { name: 'Het gesprek is beëindigd' }).waitFor();
  await visitor.getByText('wordt verzonden…').waitFor({ state: 'detached' });
  assert.equal(await visitor.getByText('niet verzonden').count(), 0);
  assert.equal(await KeptInTab(visitor), 0, 'the late ack wrote nothing back into the tab');
  assert.deepEqual(visitor.problems, []);
  await Promise.all(contexts.map((c) => c.close()));
});

test('visitor ends the chat; the counsellor sees it ended', async () => {
  const { visitor, counsellor, contexts } = await ChatUnderWay('Noor', 'bram');

  await visitor.getByRole('button', { name: 'Chat beëindigen' }).click();
  await visitor.getByRole('button', { name: 'Ja, beëindigen' }).click();
  await visitor.getByRole('heading', { name: 'Het gesprek is beëindigd' }).waitFor();
  await visitor.getByText('Je hebt het gesprek beëindigd.').waitFor();
  await counsellor.getByText('De bezoeker heeft het gesprek beëindigd.').waitFor();
  await counsellor.getByLabel('Bericht aan Noor').waitFor({ state: 'detached' });
  await counsellor.getByRole('button', { name: 'Sluiten' }).click();
  await counsellor.getByText('Je hebt geen actieve gesprekken.', { exact: false }).waitFor();

  // The tab keeps nothing of the ended chat; its words stay on screen until the page is left.
  assert.equal(await KeptInTab(visitor), 0);
  await visitor.getByRole('button', { name: 'Start een nieuwe chat' }).click();
  await visitor.getByRole('heading', { name: 'Voordat je begint' }).waitFor();
  assert.equal(await KeptInTab(visitor), 0);

  // A whole chat left no cookie and nothing in localStorage, and asked no other host for anything.
  const [visitorContext] = contexts;
  assert.deepEqual(await visitorContext.cookies(), []);
  assert.equal(await visitor.evaluate(() => localStorage.length), 0);
  assert.deepEqual(visitorContext.blocked, []);
  assert.deepEqual(visitor.problems, []);
  assert.deepEqual(counsellor.problems, []);
  await Promise.all(contexts.map((c) => c.close()));
});

test('leaving the console while a message waits to be sent asks first', async () => {
  await AddStaff(env.dataDir, 'wim', kPassword);
  const visitor = await NewPage(await NewContext(env.browser));
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Ravi' });
  const counsellor = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  let holdSends = false;
  await counsellor.routeWebSocket(/\/api\/v1\/staff\/ws/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      if (holdSends && JSON.parse(message).type === 'send') return;
      server.send(message);
    });
    server.onMessage((message) => ws.send(message));
  });
  const dialogs = [];
  let dialogShown;
  const shown = new Promise((resolve) => { dialogShown = resolve; });
  counsellor.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    dialogShown();
    void dialog.dismiss();
  });
  await CounsellorSignsIn(counsellor, env.server.origin, 'wim', kPassword);
  await CounsellorAccepts(counsellor, 'Ravi');
  await CounsellorSays(counsellor, 'Ravi', 'Hallo Ravi');
  await SeesMessage(visitor, 'Hallo Ravi');
  // Everything acknowledged: a reload asks nothing.
  await counsellor.reload();
  await counsellor.getByLabel('Bericht aan Ravi').waitFor();
  assert.deepEqual(dialogs, []);

  holdSends = true;
  await CounsellorSays(counsellor, 'Ravi', 'Ben je er nog?');
  const closed = counsellor.waitForEvent('close', { timeout: 0 });
  await counsellor.close({ runBeforeUnload: true });
  assert.equal(await Promise.race([shown.then(() => 'asked'), closed.then(() => 'closed')]), 'asked');
  assert.deepEqual(dialogs, ['beforeunload']);
  assert.equal(counsellor.isClosed(), false, 'staying was chosen');
  await counsellor.getByRole('log').getByText('Ben je er nog?').waitFor();
  assert.deepEqual(counsellor.problems, []);
  await Promise.all([visitor.context().close(), counsellor.context().close()]);
});

test('a counsellor runs two chats at once and each message reaches the right visitor', async () => {
  await AddStaff(env.dataDir, 'chris', kPassword);
  const contexts = await Promise.all([1, 2, 3].map(() => NewContext(env.browser)));
  const [first, second, counsellor] = await Promise.all(contexts.map((c) => NewPage(c)));

  await VisitorStartsChat(first, env.server.origin, { nickname: 'Ilse' });
  await VisitorStartsChat(second, env.server.origin, { nickname: 'Jop' });
  await CounsellorSignsIn(counsellor, env.server.origin, 'chris', kPassword);
  await counsellor.getByRole('button', { name: 'Gesprek met Jop aannemen' }).waitFor();
  // The title follows the queue right after the render that shows it.
  await counsellor.waitForFunction(() => /^\(\d+\) Uitweg – console$/.test(document.title));
  await CounsellorAccepts(counsellor, 'Ilse');
  await CounsellorAccepts(counsellor, 'Jop');

  await CounsellorSays(counsellor, 'Jop', 'Dag Jop.');
  await SeesMessage(second, 'Dag Jop.');
  await counsellor.getByRole('navigation').getByRole('button', { name: /^Ilse/ }).click();
  await CounsellorSays(counsellor, 'Ilse', 'Dag Ilse.');
  await SeesMessage(first, 'Dag Ilse.');
  await VisitorSays(second, 'Hoi, met Jop.');
  await counsellor.getByRole('navigation').getByRole('button', { name: /^Jop.*1 nieuw/ }).click();
  await SeesMessage(counsellor, 'Hoi, met Jop.');

  assert.equal(await first.getByText('Dag Jop.').count(), 0);
  assert.equal(await second.getByText('Dag Ilse.').count(), 0);
  for (const page of [first, second, counsellor]) assert.deepEqual(page.problems, []);
  await Promise.all(contexts.map((c) => c.close()));
});

test('a wrong password is refused; signing out ends the session', async () => {
  await AddStaff(env.dataDir, 'dirk', kPassword);
  const context = await NewContext(env.browser);
  const counsellor = await NewPage(context);
  await counsellor.goto(`${env.server.origin}/console`);
  await counsellor.getByLabel('Gebruikersnaam').fill('dirk');
  await counsellor.getByLabel('Wachtwoord').fill('niet-het-goede-wachtwoord');
  await counsellor.getByRole('button', { name: 'Inloggen' }).click();
  await counsellor.getByRole('alert').getByText('Gebruikersnaam, wachtwoord of code klopt niet.').waitFor();

  await CounsellorSignsIn(counsellor, env.server.origin, 'dirk', kPassword);
  await counsellor.getByRole('status').getByText('Verbonden').waitFor();
  await counsellor.getByRole('button', { name: 'Uitloggen' }).click();
  await counsellor.getByRole('heading', { name: 'Inloggen' }).waitFor();
  await counsellor.reload();
  await counsellor.getByRole('heading', { name: 'Inloggen' }).waitFor();
  const me = await counsellor.request.get(`${env.server.origin}/api/v1/staff/me`);
  assert.equal(me.status(), 401);
  assert.deepEqual(counsellor.problems, []);
  await context.close();
});

// A message the server cannot store (its database away, say) is tried again a few times and then
// shows as not sent; what the visitor types next goes as usual.
test('a message the server keeps failing to store shows as not sent after a few tries', async () => {
  const visitor = await NewPage(await NewContext(env.browser));
  let refusals = 0;
  await visitor.routeWebSocket(/\/api\/v1\/visitor\/ws/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const frame = JSON.parse(message);
      if (frame.type === 'send' && frame.body === 'Kan iemand me helpen?') {
        refusals += 1;
        ws.send(JSON.stringify({ type: 'error', code: 'unavailable', message: 'try again', ref: frame.client_id }));
        return;
      }
      server.send(message);
    });
    server.onMessage((message) => ws.send(message));
  });
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Rosa' });
  await VisitorSays(visitor, 'Kan iemand me helpen?');
  const failed = visitor.getByRole('log').locator('li.failed');
  await failed.waitFor({ timeout: 60_000 });
  assert.equal(refusals, 6, 'sent once and tried five more times');
  assert.match(await failed.textContent(), /niet verzonden/);
  await VisitorSays(visitor, 'Hallo?');
  await visitor.getByRole('log').locator('li.mine:not(.failed)', { hasText: 'Hallo?' }).waitFor();
  await visitor.getByRole('log').locator('li', { hasText: 'Hallo?' }).getByText('wordt verzonden…').waitFor({ state: 'detached' });
  assert.equal(refusals, 6);
  assert.deepEqual(visitor.problems, []);
  await visitor.context().close();
});

// An end the server cannot make for now is asked again a few times; then the visitor is told
// that the chat did not end, and may ask again.
test('an end the server keeps failing to make is said, and can be asked again', async () => {
  const visitor = await NewPage(await NewContext(env.browser));
  let refusing = true;
  let refusals = 0;
  await visitor.routeWebSocket(/\/api\/v1\/visitor\/ws/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      if (refusing && JSON.parse(message).type === 'end') {
        refusals += 1;
        ws.send(JSON.stringify({ type: 'error', code: 'unavailable', message: 'try again', ref: 'end' }));
        return;
      }
      server.send(message);
    });
    server.onMessage((message) => ws.send(message));
  });
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Mo' });
  await visitor.getByRole('button', { name: 'Chat beëindigen' }).click();
  await visitor.getByRole('button', { name: 'Ja, beëindigen' }).click();
  await visitor.getByText('Het gesprek kon nu niet worden beëindigd. Probeer het zo opnieuw.').waitFor({ timeout: 30_000 });
  assert.equal(refusals, 4, 'asked once and three more times');
  assert.equal(await visitor.getByRole('heading', { name: 'Het gesprek is beëindigd' }).count(), 0);
  refusing = false;
  await visitor.getByRole('button', { name: 'Chat beëindigen' }).click();
  await visitor.getByRole('button', { name: 'Ja, beëindigen' }).click();
  await visitor.getByRole('heading', { name: 'Het gesprek is beëindigd' }).waitFor();
  assert.deepEqual(visitor.problems, []);
  await visitor.context().close();
});

// The place in the queue is a live region: written again with the same words at every frame,
// a screen reader would read it out again at every message sent.
test('the place in the queue is written only when it changes', async () => {
  const visitor = await NewPage(await NewContext(env.browser));
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Lot' });
  // Writes that left the words as they were (the place itself may move meanwhile).
  const placeRewrites = await CountRewrites(visitor, 'queue-position');
  for (const text of ['Hallo?', 'Is daar iemand?']) {
    await VisitorSays(visitor, text);
    await visitor.getByRole('log').locator('li', { hasText: text }).getByText('wordt verzonden…').waitFor({ state: 'detached' });
  }
  assert.equal(await placeRewrites(), 0);
  await visitor.context().close();
});
