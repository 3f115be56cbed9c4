// A supervisor opens the audit trail in the console and finds a counsellor's accept, filtered by
// action; a counsellor has no such button, and the server refuses them the trail.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeViolations, NewContext, NewPage } from './support/browser.mjs';
import { CounsellorAccepts, CounsellorSignsIn, VisitorStartsChat } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';
import { AddStaff } from './support/server.mjs';

const env = ServerAndBrowser('audit', { staff: ['gijs'] });

test('a supervisor reads the audit trail; a counsellor cannot', async () => {
  await AddStaff(env.dataDir, 'hanna', kPassword, 'supervisor');
  const visitor = await NewPage(await NewContext(env.browser));
  const counsellor = await NewPage(await NewContext(env.browser));
  const supervisor = await NewPage(await NewContext(env.browser, { bypassCSP: true }));

  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Sam' });
  await CounsellorSignsIn(counsellor, env.server.origin, 'gijs', kPassword);
  await CounsellorAccepts(counsellor, 'Sam');
  assert.equal(await counsellor.getByRole('button', { name: 'Audittrail' }).count(), 0);
  const refused = await counsellor.request.get(`${env.server.origin}/api/v1/audit`);
  assert.equal(refused.status(), 403);

  await CounsellorSignsIn(supervisor, env.server.origin, 'hanna', kPassword);
  await supervisor.getByRole('button', { name: 'Audittrail' }).click();
  await supervisor.getByRole('heading', { name: 'Audittrail' }).waitFor();
  const table = supervisor.getByRole('table', { name: 'Wie deed wat, nieuwste eerst' });
  await table.getByRole('cell', { name: 'gesprek aangenomen' }).waitFor();

  await supervisor.getByLabel('Handeling').selectOption('sign_in');
  await supervisor.getByRole('button', { name: 'Filteren' }).click();
  await supervisor.waitForFunction(() => {
    const cells = [...document.querySelectorAll('.audit tbody tr td:nth-child(2)')];
    return cells.length >= 2 && cells.every((cell) => cell.textContent === 'ingelogd');
  });
  assert.deepEqual(await AxeViolations(supervisor), [], 'axe violations on the audit trail');

  // "Older" pages on with the filter applied, not with one typed since: every read of the
  // trail is itself an entry, so 60 reads make more than one page of them.
  for (let read = 0; read < 60; ++read) {
    assert.equal((await supervisor.request.get(`${env.server.origin}/api/v1/audit?limit=1`)).status(), 200);
  }
  await supervisor.getByLabel('Handeling').selectOption('audit_read');
  await supervisor.getByRole('button', { name: 'Filteren' }).click();
  const rows = supervisor.locator('.audit tbody tr');
  await supervisor.waitForFunction(() => document.querySelectorAll('.audit tbody tr').length === 50);
  await supervisor.getByLabel('Account (nummer)').fill('999999');
  await supervisor.getByRole('button', { name: 'Oudere regels' }).click();
  await supervisor.waitForFunction(() => document.querySelectorAll('.audit tbody tr').length > 50);
  const actions = await rows.locator('td:nth-child(2)').allTextContents();
  assert.ok(actions.every((action) => action === actions[0]), 'one filter, one list');
  assert.deepEqual(supervisor.problems, []);
});
