// The visitor page survives a server restart mid-chat: the binary is killed and started again
// on the same port and data directory; the page reconnects, resends what was typed while the
// server was down, and a reload shows every message exactly once.

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
