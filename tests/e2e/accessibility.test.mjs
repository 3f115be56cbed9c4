// axe-core finds no violations on the visitor start page, the visitor chat, the console
// sign-in and the console chat; and every page loads under the real Content-Security-Policy
// with no violation and no script error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeViolations, NewContext, NewPage } from './support/browser.mjs';
import {
  CounsellorAccepts,
  CounsellorSays,
  CounsellorSignsIn,
  SeesMessage,
  VisitorOpensStartForm,
  VisitorSays,
  VisitorStartsChat,
} from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';
import { AddStaff } from './support/server.mjs';

const env = ServerAndBrowser('a11y', { staff: ['dewi'] });

async function ExpectAccessible(page, what) {
  assert.deepEqual(await AxeViolations(page), [], `axe violations on ${what}`);
}

test('axe-core finds no violations on the visitor and console views', async () => {
  // axe-core is injected as an inline script, which the CSP (rightly) forbids.
  const visitor = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  const counsellor = await NewPage(await NewContext(env.browser, { bypassCSP: true }));

  await visitor.goto(`${env.server.origin}/`);
  await visitor.getByRole('button', { name: 'Start een chat' }).waitFor();
  await ExpectAccessible(visitor, 'the visitor start page');
  await VisitorOpensStartForm(visitor, env.server.origin);
  await ExpectAccessible(visitor, 'the start form');
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Robin' });
  await ExpectAccessible(visitor, 'the waiting view');

  await counsellor.goto(`${env.server.origin}/console`);
  await counsellor.getByRole('button', { name: 'Inloggen' }).waitFor();
  await ExpectAccessible(counsellor, 'the console sign-in');
  await CounsellorSignsIn(counsellor, env.server.origin, 'dewi', kPassword);
  await ExpectAccessible(counsellor, 'the console queue');
  await CounsellorAccepts(counsellor, 'Robin');
  await CounsellorSays(counsellor, 'Robin', 'Hallo Robin.');
  await SeesMessage(visitor, 'Hallo Robin.');
  await VisitorSays(visitor, 'Hoi.');
  await SeesMessage(counsellor, 'Hoi.');
  await ExpectAccessible(visitor, 'the visitor chat');
  await ExpectAccessible(counsellor, 'the console chat');
  await counsellor.getByRole('button', { name: 'Mijn sessies' }).click();
  await counsellor.getByText('Deze sessie').waitFor();
  await ExpectAccessible(counsellor, 'the console with my sessions');

  await AddStaff(env.dataDir, 'suus', kPassword, 'supervisor');
  const supervisor = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await CounsellorSignsIn(supervisor, env.server.origin, 'suus', kPassword);
  await supervisor.getByRole('button', { name: 'Team' }).click();
  await supervisor.getByRole('row', { name: /dewi/ }).waitFor();
  await ExpectAccessible(supervisor, 'the team panel');

  await visitor.getByRole('button', { name: 'English' }).click();
  await visitor.getByRole('heading', { name: 'Chat with a counsellor' }).waitFor();
  await ExpectAccessible(visitor, 'the visitor chat in English');

  for (const path of ['/info/safety', '/setup']) {
    await visitor.goto(`${env.server.origin}${path}`);
    await visitor.getByRole('heading', { level: 1 }).waitFor();
    await ExpectAccessible(visitor, path);
  }
});

test('every page loads under the Content-Security-Policy without errors', async () => {
  const context = await NewContext(env.browser);
  const page = await NewPage(context);
  for (const [path, heading] of [
    ['/', 'Uitweg'],
    ['/info/safety', 'Veilig gebruik en snel weggaan'],
    ['/self-check', 'Check: word ik gebruikt?'],
    ['/console', 'Inloggen'],
    ['/setup', 'Eerste beheerder instellen'],
  ]) {
    const response = await page.goto(`${env.server.origin}${path}`);
    assert.match(response.headers()['content-security-policy'] ?? '', /default-src 'self'/);
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  }
  assert.deepEqual(page.problems, []);
  assert.deepEqual(context.blocked, []);
  await context.close();
});
