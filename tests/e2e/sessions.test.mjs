// A counsellor signed in on two computers sees both sessions under "Mijn sessies" and ends the
// other one from here: that console drops back to the sign-in screen at once. A sign-out that
// does not reach the server says so and leaves the desk as it was.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NewContext, NewPage } from './support/browser.mjs';
import { CounsellorSignsIn } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';

const env = ServerAndBrowser('sessions', { staff: ['femke', 'noor'] });

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

// A sign-out the server never got leaves the member signed in, so the console must not show
// the sign-in screen as if it had worked: the next person would reload into the desk.
test('a sign-out that fails says so and keeps the desk', async () => {
  const context = await NewContext(env.browser);
  const page = await NewPage(context);
  await CounsellorSignsIn(page, env.server.origin, 'femke', kPassword);
  await page.getByRole('status').getByText('Verbonden').waitFor();
  await page.route('**/api/v1/staff/session', (route) =>
    route.request().method() === 'DELETE' ? route.abort('connectionreset') : route.fallback(),
  );
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await page.getByText('Uitloggen is niet gelukt', { exact: false }).waitFor();
  await page.getByRole('status').getByText('Verbonden').waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Inloggen' }).count(), 0);

  await page.unroute('**/api/v1/staff/session');
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await page.getByRole('heading', { name: 'Inloggen' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Inloggen' }).waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

// The console asks whether its session holds when its connection goes; without a network that
// first ask fails. A session ended elsewhere meanwhile must still bring the sign-in screen once
// the network is back, not a console that tries to reconnect for ever with a chat on screen.
test('a session ended while the console had no network asks to sign in once it is back', async () => {
  const deskContext = await NewContext(env.browser);
  const homeContext = await NewContext(env.browser);
  const desk = await NewPage(deskContext);
  const home = await NewPage(homeContext);
  await CounsellorSignsIn(desk, env.server.origin, 'noor', kPassword);
  await desk.getByRole('status').getByText('Verbonden').waitFor();
  await CounsellorSignsIn(home, env.server.origin, 'noor', kPassword);
  await home.getByRole('status').getByText('Verbonden').waitFor();

  await deskContext.setOffline(true);
  await desk.getByRole('status').getByText('Geen verbinding', { exact: false }).first().waitFor();
  await home.getByRole('button', { name: 'Mijn sessies' }).click();
  const sessions = home.locator('.session-list li');
  await sessions.nth(1).waitFor();
  await home.getByRole('button', { name: 'Sessie van', exact: false }).click();
  await home.waitForFunction(() => document.querySelectorAll('.session-list li').length === 1);

  await deskContext.setOffline(false);
  await desk.getByRole('heading', { name: 'Inloggen' }).waitFor({ timeout: 10000 });
  await deskContext.close();
  await homeContext.close();
});
