// The visitor page survives a server restart mid-chat: the binary is killed and started again
// on the same port and data directory; the page reconnects, resends what was typed while the
// server was down, and a reload shows every message exactly once. A message the server holds
// back for its rate limit goes again before anything typed after it. A reconnect after a
// counsellor's note resumes after the last message, not from the note on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NewContext, NewPage } from './support/browser.mjs';
import {
  CounsellorAccepts,
  CounsellorSays,
  CounsellorSignsIn,
  SeesMessage,
  VisitorSays,
  VisitorStartsChat,
} from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';

const env = ServerAndBrowser('resume', { staff: ['chris'] });

test('a message typed while the server is down arrives after it restarts', async () => {
  const visitor = await NewPage(await NewContext(env.browser));
  const counsellor = await NewPage(await NewContext(env.browser));
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Lex' });
  await CounsellorSignsIn(counsellor, env.server.origin, 'chris', kPassword);
  await CounsellorAccepts(counsellor, 'Lex');
  await VisitorSays(visitor, 'Eerste bericht.');
  await SeesMessage(counsellor, 'Eerste bericht.');

  await env.server.Kill();
  await visitor.getByRole('status').getByText('Geen verbinding', { exact: false }).waitFor();
  await VisitorSays(visitor, 'Ben je er nog?');
  const pending = visitor.getByRole('listitem').filter({ hasText: 'Ben je er nog?' });
  await pending.getByText('wordt verzonden…').waitFor();
  const outbox = await visitor.evaluate(() => sessionStorage.getItem('uitweg.visitor.outbox'));
  assert.match(outbox, /Ben je er nog\?/);

  await env.server.Start();
  // The pages would wait out their back-off (up to 10 s, more than a loaded machine leaves of a
  // wait): the network coming back makes them try at once.
  for (const page of [visitor, counsellor]) {
    await page.context().setOffline(true);
    await page.context().setOffline(false);
  }
  await SeesMessage(counsellor, 'Ben je er nog?');
  await pending.getByText('wordt verzonden…').waitFor({ state: 'detached' });
  await visitor.getByRole('status').getByText('Verbonden').waitFor();
  await CounsellorSays(counsellor, 'Lex', 'Ja, ik ben er nog.');
  await SeesMessage(visitor, 'Ja, ik ben er nog.');

  await visitor.reload();
  await SeesMessage(visitor, 'Ja, ik ben er nog.');
  for (const text of ['Eerste bericht.', 'Ben je er nog?', 'Ja, ik ben er nog.']) {
    assert.equal(await visitor.getByRole('log').getByText(text, { exact: true }).count(), 1, text);
    assert.equal(await counsellor.getByRole('log').getByText(text, { exact: true }).count(), 1, text);
  }
  assert.deepEqual(visitor.problems, []);
  assert.deepEqual(counsellor.problems, []);
});

// The server's rate limit holds a message back: what the visitor types meanwhile waits behind it,
// and the counsellor reads both in the order they were typed. The refusal is the server's answer
// as the protocol gives it, made by a route in front of the page's socket.
test('a message held back by the rate limit is not overtaken by the next one', async () => {
  const visitor = await NewPage(await NewContext(env.browser));
  const counsellor = await NewPage(await NewContext(env.browser));
  let refused = 0;
  await visitor.routeWebSocket(/\/api\/v1\/visitor\/ws/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const frame = JSON.parse(message);
      if (refused === 0 && frame.type === 'send' && frame.body === 'Eén.') {
        refused = 1;
        ws.send(
          JSON.stringify({
            type: 'error',
            code: 'resource_exhausted',
            message: 'slow down',
            ref: frame.client_id,
            retry_after: 1,
          }),
        );
        return;
      }
      server.send(message);
    });
  });
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Mo' });
  await CounsellorSignsIn(counsellor, env.server.origin, 'chris', kPassword);
  await CounsellorAccepts(counsellor, 'Mo');
  await VisitorSays(visitor, 'Eén.');
  await visitor.getByText('Even rustig aan', { exact: false }).waitFor();
  await VisitorSays(visitor, 'Twee.');
  await SeesMessage(counsellor, 'Twee.');
  await SeesMessage(counsellor, 'Eén.');
  assert.equal(refused, 1);
  const log = await counsellor.getByRole('log').innerText();
  assert.ok(log.indexOf('Eén.') < log.indexOf('Twee.'), `in the order typed:\n${log}`);
  assert.deepEqual(visitor.problems, []);
  assert.deepEqual(counsellor.problems, []);
});

// A counsellor's note is an entry the visitor never receives. When the page's connection drops
// after it, the page asks to resume after the last message it has, not after the one before the
// note (which replayed everything since the note on every reconnect).
test('a reconnect after a note resumes after the last message the page has', async () => {
  const visitor = await NewPage(await NewContext(env.browser));
  const counsellor = await NewPage(await NewContext(env.browser));
  const hellos = [];
  let highestReceived = 0;
  let drop = null;
  await visitor.routeWebSocket(/\/api\/v1\/visitor\/ws/, (ws) => {
    const server = ws.connectToServer();
    drop = () => {
      ws.close();
      server.close();
    };
    ws.onMessage((message) => {
      const frame = JSON.parse(message);
      if (frame.type === 'hello') hellos.push(frame.last_seq);
      server.send(message);
    });
    server.onMessage((message) => {
      const frame = JSON.parse(message);
      if (frame.type === 'message') highestReceived = Math.max(highestReceived, frame.message.seq);
      ws.send(message);
    });
  });
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Noa' });
  await CounsellorSignsIn(counsellor, env.server.origin, 'chris', kPassword);
  await CounsellorAccepts(counsellor, 'Noa');
  await counsellor.getByLabel('Als interne notitie (de bezoeker ziet dit niet)').check();
  await counsellor
    .getByLabel('Interne notitie bij het gesprek met Noa (de bezoeker ziet dit niet)')
    .fill('Let op: broer.');
  await counsellor.getByRole('button', { name: 'Notitie opslaan' }).click();
  await counsellor.getByText('Let op: broer.').waitFor();
  await counsellor.getByLabel('Als interne notitie (de bezoeker ziet dit niet)').uncheck();
  await CounsellorSays(counsellor, 'Noa', 'Hoi Noa, ik ben er.');
  await SeesMessage(visitor, 'Hoi Noa, ik ben er.');
  assert.equal(highestReceived, 3, 'accepted (1), the note (2) passed over, the greeting (3)');

  drop();
  await CounsellorSays(counsellor, 'Noa', 'Ben je er nog?');
  await SeesMessage(visitor, 'Ben je er nog?');
  assert.deepEqual(hellos, [0, 3], 'the second hello resumes after the greeting');
  assert.equal(await visitor.getByRole('log').getByText('Hoi Noa, ik ben er.', { exact: true }).count(), 1);
  assert.equal(await visitor.getByText('Let op: broer.').count(), 0);
  assert.deepEqual(visitor.problems, []);
  assert.deepEqual(counsellor.problems, []);
});
