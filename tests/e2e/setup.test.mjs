// The first administrator: the one-time link the server prints opens the set-up page, which
// takes the token from the fragment (and removes it from the address bar) and creates the
// account; the page then says set-up is done, and a second visit finds nothing to set up.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NewContext, NewPage } from './support/browser.mjs';
import { ServerAndBrowser } from './support/fixture.mjs';

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
  await page.getByLabel('Wachtwoord (minstens 10 tekens)').fill('een-lang-wachtwoord');
  await page.getByLabel('Herhaal het wachtwoord').fill('iets-anders-dan-dat');
  await page.getByRole('button', { name: 'Account aanmaken' }).click();
  await page.getByRole('alert').getByText('De wachtwoorden zijn niet gelijk.').waitFor();

  await page.getByLabel('Herhaal het wachtwoord').fill('een-lang-wachtwoord');
  await page.getByRole('button', { name: 'Account aanmaken' }).click();
  await page.getByText('Het account beheer is aangemaakt.').waitFor();
  await page.getByRole('link', { name: 'Naar de console' }).waitFor();

  // A fresh load: going to the same path with only a fragment would stay on this document.
  await page.goto('about:blank');
  await page.goto(link.href);
  await page.getByText('Er is al een beheerder.', { exact: false }).waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});
