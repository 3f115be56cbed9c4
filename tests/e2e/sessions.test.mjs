// A counsellor signed in on two computers sees both sessions under "Mijn sessies" and ends the
// other one from here: that console drops back to the sign-in screen at once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NewContext, NewPage } from './support/browser.mjs';
import { CounsellorSignsIn } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';

const env = ServerAndBrowser('sessions', { staff: ['femke'] });

test('a session left open elsewhere is ended from "my sessions"', async () => {
  const deskContext = await NewContext(env.browser);
  const homeContext = await NewContext(env.browser);
  const desk = await NewPage(deskContext);
  const home = await NewPage(homeContext);
  await CounsellorSignsIn(home, env.server.origin, 'femke', kPassword);
  await home.getByRole('status').getByText('Verbonden').waitFor();
  await CounsellorSignsIn(desk, env.server.origin, 'femke', kPassword);

  await desk.getByRole('button', { name: 'Mijn sessies' }).click();
  await desk.getByRole('heading', { name: 'Waar je bent ingelogd' }).waitFor();
  const sessions = desk.locator('.session-list li');
  await sessions.nth(1).waitFor();
  assert.equal(await sessions.count(), 2);
  await desk.getByText('Deze sessie').waitFor();
  await desk.getByRole('button', { name: 'Sessie van', exact: false }).click();
  await desk.waitForFunction(() => document.querySelectorAll('.session-list li').length === 1);

  // The other console is closed and asks to sign in again.
  await home.getByRole('heading', { name: 'Inloggen' }).waitFor();
  assert.deepEqual(desk.problems, []);
  await deskContext.close();
  await homeContext.close();
});
