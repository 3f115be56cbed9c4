// The first administrator: the one-time link the server prints opens the set-up page, which
// takes the token from the fragment (and removes it from the address bar), links an
// authenticator app (QR code shown, its first code accepted) and creates the account; the page
// then shows the recovery codes once, the console takes one of them, and a second visit finds
// nothing to set up; someone else part-way through the same link is told so.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NewContext, NewPage } from './support/browser.mjs';
import { ServerAndBrowser } from './support/fixture.mjs';
import { Base32Decode, TotpCode } from './support/totp.mjs';

const env = ServerAndBrowser('setup');

test('the set-up link creates the first administrator once', async () => {
  const link = new URL(await env.server.SetupLink());
  assert.equal(link.origin, env.server.origin);
  const context = await NewContext(env.browser);
  const page = await NewPage(context);

  await page.goto(link.href);
  await page.getByRole('heading', { name: 'Eerste beheerder instellen' }).waitFor();
  assert.equal(new URL(page.url()).hash, '', 'the token leaves the address bar');
  await page.getByLabel('Gebruikersnaam (3–40 tekens', { exact: false }).fill('beheer');
  const password = page.getByLabel('Wachtwoord (minstens 12 tekens', { exact: false });
  await password.fill('een-lang-wachtwoord');
  await page.getByLabel('Herhaal het wachtwoord').fill('iets-anders-dan-dat');
  await page.getByRole('button', { name: 'Verder' }).click();
  await page.getByRole('alert').getByText('De wachtwoorden zijn niet gelijk.').waitFor();

  await password.fill('Welkom2026!!');
  await page.getByLabel('Herhaal het wachtwoord').fill('Welkom2026!!');
  await page.getByRole('button', { name: 'Verder' }).click();
  await page.getByRole('alert').getByText('te makkelijk te raden', { exact: false }).waitFor();

  await password.fill('een-lang-wachtwoord');
  await page.getByLabel('Herhaal het wachtwoord').fill('een-lang-wachtwoord');
  await page.getByRole('button', { name: 'Verder' }).click();
  await page.getByRole('heading', { name: 'Koppel je authenticator-app' }).waitFor();
  const qr = page.getByRole('img', { name: 'QR-code om je authenticator-app te koppelen' });
  await qr.waitFor();
  const box = await qr.boundingBox();
  assert.ok(box.width >= 150, `the QR code is large enough to scan (${box.width} px)`);
  const secret = Base32Decode(await page.locator('#secret').textContent());
  assert.equal(secret.length, 20);

  // A colleague opens the same link meanwhile and gets as far.
  const colleague = await NewPage(await NewContext(env.browser));
  await colleague.goto(link.href);
  await colleague.getByLabel('Gebruikersnaam (3–40 tekens', { exact: false }).fill('collega');
  await colleague.getByLabel('Wachtwoord (minstens 12 tekens', { exact: false }).fill('een-ander-lang-wachtwoord');
  await colleague.getByLabel('Herhaal het wachtwoord').fill('een-ander-lang-wachtwoord');
  await colleague.getByRole('button', { name: 'Verder' }).click();
  await colleague.getByRole('heading', { name: 'Koppel je authenticator-app' }).waitFor();
  const colleagueSecret = Base32Decode(await colleague.locator('#secret').textContent());

  await page.getByLabel('Code uit je app').fill('000000');
  await page.getByRole('button', { name: 'Account aanmaken' }).click();
  await page.getByRole('alert').getByText('Die code klopt niet.', { exact: false }).waitFor();
  await page.getByLabel('Code uit je app').fill(TotpCode(secret));
  await page.getByRole('button', { name: 'Account aanmaken' }).click();
  await page.getByText('Het account beheer is aangemaakt.').waitFor();

  // The colleague, second, is told an administrator exists, with the way to the console and no
  // form left to send again.
  await colleague.getByLabel('Code uit je app').fill(TotpCode(colleagueSecret));
  await colleague.getByRole('button', { name: 'Account aanmaken' }).click();
  await colleague.getByRole('alert').getByText('Er is al een beheerder.', { exact: false }).waitFor();
  assert.equal(await colleague.locator('#enrol-form').isVisible(), false);
  await colleague.getByRole('link', { name: 'Naar de console' }).waitFor();
  assert.deepEqual(colleague.problems, []);
  await page.getByRole('heading', { name: 'Je herstelcodes' }).waitFor();
  const codes = await page.locator('#recovery-codes li').allTextContents();
  assert.equal(codes.length, 10);
  for (const code of codes) assert.match(code, /^[a-z2-7]{5}-[a-z2-7]{5}$/);
  await page.getByRole('link', { name: 'Naar de console' }).click();

  // The console takes the password and a recovery code.
  await page.getByLabel('Gebruikersnaam').fill('beheer');
  await page.getByLabel('Wachtwoord').fill('een-lang-wachtwoord');
  await page.getByLabel('Code uit je app', { exact: false }).fill(codes[0]);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByRole('heading', { name: 'Wachtrij' }).waitFor();

  // A fresh load: going to the same path with only a fragment would stay on this document.
  await page.goto('about:blank');
  await page.goto(link.href);
  await page.getByText('Er is al een beheerder.', { exact: false }).waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a set-up link whose hour is over says how to get a new one, not that an administrator exists', async () => {
  // The hour cannot pass in a test: the server's answer after it is given to the page.
  const page = await NewPage(await NewContext(env.browser));
  await page.route('**/api/v1/setup', (route) =>
    route.request().method() === 'GET'
      ? route.fulfill({ status: 200, contentType: 'application/json', body: '{"needed":false,"expired":true}' })
      : route.fallback(),
  );
  await page.goto(`${env.server.origin}/setup#token=${'x'.repeat(43)}`);
  await page.getByText('Deze link is verlopen', { exact: false }).waitFor();
  assert.equal(await page.getByText('Er is al een beheerder.', { exact: false }).count(), 0);
  assert.deepEqual(page.problems, []);
  await page.context().close();

  // The hour runs out while the form is filled in: the server's refusal says so, and no form is
  // left to send again.
  const late = await NewPage(await NewContext(env.browser));
  await late.route('**/api/v1/setup', (route) =>
    route.request().method() === 'GET'
      ? route.fulfill({ status: 200, contentType: 'application/json', body: '{"needed":true,"expired":false}' })
      : route.fallback(),
  );
  await late.route('**/api/v1/setup/second-factor', (route) => route.fulfill({
    status: 403,
    contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'permission_denied', message: 'the setup token has expired; restart the server for a new one' } }),
  }));
  await late.goto(`${env.server.origin}/setup#token=${'x'.repeat(43)}`);
  await late.getByLabel('Gebruikersnaam (3–40 tekens', { exact: false }).fill('beheer');
  await late.getByLabel('Wachtwoord (minstens 12 tekens', { exact: false }).fill('een-lang-wachtwoord');
  await late.getByLabel('Herhaal het wachtwoord').fill('een-lang-wachtwoord');
  await late.getByRole('button', { name: 'Verder' }).click();
  await late.getByText('Deze link is verlopen', { exact: false }).waitFor();
  assert.equal(await late.getByRole('button', { name: 'Verder' }).isVisible(), false);
  assert.deepEqual(late.problems, []);
  await late.context().close();
});
