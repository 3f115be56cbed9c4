// An administrator invites a colleague from the console; the colleague opens the one-time link,
// chooses a password, links an authenticator app (QR code and key shown, first code accepted),
// sees the recovery codes once and signs in; the administrator then changes the colleague's role
// (chosen first, changed with its button; the colleague's console follows) and disables the
// account (after a question).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeViolations, NewContext, NewPage } from './support/browser.mjs';
import { CounsellorSignsIn } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';
import { AddStaff } from './support/server.mjs';
import { Base32Decode, RememberSecondFactor, TotpCode, TotpStep } from './support/totp.mjs';

const env = ServerAndBrowser('accounts');

test('an invited colleague sets up their account through the link and signs in', async () => {
  await AddStaff(env.dataDir, 'beheer', kPassword, 'admin');
  const admin = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await CounsellorSignsIn(admin, env.server.origin, 'beheer', kPassword);
  await admin.getByRole('button', { name: 'Accounts' }).click();
  await admin.getByRole('heading', { name: "Accounts van collega's" }).waitFor();
  await admin.getByLabel('Gebruikersnaam', { exact: true }).fill('ilse');
  await admin.getByLabel('Naam', { exact: true }).fill('Ilse');
  await admin.getByRole('button', { name: 'Uitnodigen' }).click();
  const linkField = admin.getByLabel('Eenmalige link voor ilse');
  await linkField.waitFor();
  const link = await linkField.inputValue();
  assert.match(link, /\/account-setup#token=/);
  await admin.getByRole('row', { name: /ilse/ }).getByText('nog niet ingesteld').waitFor();
  assert.deepEqual(await AxeViolations(admin), [], 'axe violations on the accounts panel');

  const colleague = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await colleague.goto(link);
  await colleague.getByRole('heading', { name: 'Je account instellen' }).waitFor();
  await colleague.getByText('Voor het account ilse.').waitFor();
  assert.equal(new URL(colleague.url()).hash, '', 'the token leaves the address bar');
  // A switch of language says for whom in the new one.
  await colleague.getByRole('button', { name: 'Switch to English' }).click();
  await colleague.getByText('For the account ilse.').waitFor();
  await colleague.getByRole('button', { name: 'Schakel naar Nederlands' }).click();
  await colleague.getByText('Voor het account ilse.').waitFor();
  // The same link opened elsewhere and reloaded there: the code is gone from the page, and it
  // says so (the link itself still works).
  const reloaded = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await reloaded.goto(link);
  await reloaded.getByText('Voor het account ilse.').waitFor();
  await reloaded.reload();
  await reloaded.getByText('Deze pagina heeft geen code', { exact: false }).waitFor();
  await reloaded.context().close();
  // A password the server refuses is said on the password form, before the app is linked.
  const guessable = 'ilse ilse ilse';
  await colleague.getByLabel('Wachtwoord (minstens 12 tekens', { exact: false }).fill(guessable);
  await colleague.getByLabel('Herhaal het wachtwoord').fill(guessable);
  await colleague.getByRole('button', { name: 'Verder' }).click();
  await colleague.getByText('te makkelijk te raden', { exact: false }).waitFor();
  assert.equal(await colleague.locator('#enrol-form').isVisible(), false);
  await colleague.waitForFunction(() => document.activeElement?.id === 'password');
  const password = 'paraplu fiets koffie';
  await colleague.getByLabel('Wachtwoord (minstens 12 tekens', { exact: false }).fill(password);
  await colleague.getByLabel('Herhaal het wachtwoord').fill(password);
  await colleague.getByRole('button', { name: 'Verder' }).click();
  await colleague.getByRole('img', { name: 'QR-code om je authenticator-app te koppelen' }).waitFor();
  const secret = Base32Decode(await colleague.locator('#secret').textContent());
  const confirmingStep = TotpStep();
  await colleague.getByLabel('Code uit je app').fill(TotpCode(secret, confirmingStep));
  await colleague.getByRole('button', { name: 'Klaar' }).click();
  await colleague.getByRole('heading', { name: 'Je herstelcodes' }).waitFor();
  const codes = await colleague.locator('#recovery-codes li').allTextContents();
  assert.equal(codes.length, 10);
  assert.deepEqual(await AxeViolations(colleague), [], 'axe violations on the account page');

  // The link worked once (a fresh load: the same path with only a fragment keeps the document);
  // the colleague signs in with the next code from the app.
  await colleague.goto('about:blank');
  await colleague.goto(link);
  await colleague.getByText('Deze link werkt niet (meer)', { exact: false }).waitFor();
  RememberSecondFactor('ilse', { secret, recoveryCodes: codes }, confirmingStep);
  await CounsellorSignsIn(colleague, env.server.origin, 'ilse', password);

  // A role is chosen with the keyboard, passing other roles on the way, and changes only with
  // its button: the colleague's console closes once, for the role chosen.
  const role = admin.getByRole('combobox', { name: 'Rol van ilse' });
  await role.focus();
  await admin.keyboard.press('ArrowDown');
  await admin.keyboard.press('ArrowDown');
  assert.equal(await role.inputValue(), 'analyst');
  const unchanged = await (await admin.request.get(`${env.server.origin}/api/v1/admin/accounts`)).json();
  assert.equal(unchanged.accounts.find((a) => a.username === 'ilse').role, 'counsellor');
  await admin.getByRole('button', { name: 'Rol van ilse wijzigen in analist' }).click();
  await admin.getByRole('button', { name: 'Rol van ilse wijzigen in analist' }).waitFor({ state: 'detached' });
  assert.equal(await role.inputValue(), 'analyst');
  await admin.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Rol van ilse');
  // The colleague's console starts over for the new role: an analyst's buttons, no availability,
  // and a word on why.
  await colleague.getByText('Een beheerder heeft je rol gewijzigd in analist.', { exact: false }).waitFor();
  await colleague.getByRole('button', { name: 'Signalen' }).waitFor();
  assert.equal(await colleague.getByLabel('Status').count(), 0, 'no availability for an analyst');

  // Disabling asks first; "no" leaves the account as it was, with the focus back on the button.
  await admin.getByRole('button', { name: 'ilse blokkeren' }).click();
  const question = admin.getByRole('group', { name: /ilse blokkeren\?/ });
  await question.waitFor();
  assert.equal(await admin.evaluate(() => document.activeElement?.textContent), 'Nee');
  await question.getByRole('button', { name: 'Nee' }).click();
  await admin.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'ilse blokkeren');
  assert.equal(await admin.getByRole('row', { name: /ilse/ }).getByText('geblokkeerd').count(), 0);
  await admin.getByRole('button', { name: 'ilse blokkeren' }).click();
  await question.getByRole('button', { name: 'Ja' }).click();
  await admin.getByRole('row', { name: /ilse/ }).getByText('geblokkeerd').waitFor();
  await admin.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'ilse vrijgeven');
  assert.deepEqual(admin.problems, []);
});
