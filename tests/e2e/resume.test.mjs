// The visitor page survives a server restart mid-chat: the binary is killed and started again
// on the same port and data directory; the page reconnects, resends what was typed while the
// server was down, and a reload shows every message exactly once.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { LaunchBrowser, NewContext, NewPage } from './support/browser.mjs';
import {
  CounsellorAccepts,
  CounsellorSays,
  CounsellorSignsIn,
  SeesMessage,
  VisitorSays,
  VisitorStartsChat,
} from './support/flows.mjs';
import { AddStaff, RemoveDir, TempDir, UitwegServer } from './support/server.mjs';

const kPassword = 'lang-genoeg-wachtwoord';
let dataDir;
let server;
let browser;

before(async () => {
  dataDir = await TempDir('resume');
  server = await new UitwegServer(dataDir).Start();
  await AddStaff(dataDir, 'chris', kPassword);
  browser = await LaunchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.Stop();
  await RemoveDir(dataDir);
});

test('a message typed while the server is down arrives after it restarts', async () => {
  const visitor = await NewPage(await NewContext(browser));
  const counsellor = await NewPage(await NewContext(browser));
  await VisitorStartsChat(visitor, server.origin, { nickname: 'Lex' });
  await CounsellorSignsIn(counsellor, server.origin, 'chris', kPassword);
  await CounsellorAccepts(counsellor, 'Lex');
  await VisitorSays(visitor, 'Eerste bericht.');
  await SeesMessage(counsellor, 'Eerste bericht.');

  await server.Kill();
  await visitor.getByRole('status').getByText('Geen verbinding', { exact: false }).waitFor();
  await VisitorSays(visitor, 'Ben je er nog?');
  const pending = visitor.getByRole('listitem').filter({ hasText: 'Ben je er nog?' });
  await pending.getByText('wordt verzonden…').waitFor();
  const outbox = await visitor.evaluate(() => sessionStorage.getItem('uitweg.visitor.outbox'));
  assert.match(outbox, /Ben je er nog\?/);

  await server.Start();
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
