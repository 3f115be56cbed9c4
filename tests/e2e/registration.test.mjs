// A registration completed: ending a conversation opens its form (fields from the server's
// definition); the counsellor saves it half done, finds it open in their history, and completes
// it there once every required field is answered. axe-core finds nothing on the form.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeViolations, NewContext, NewPage, Screenshot } from './support/browser.mjs';
import { CounsellorAccepts, CounsellorSignsIn, VisitorStartsChat } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';

const env = ServerAndBrowser('registration', { staff: ['femke'] });

test('ending a conversation opens its registration, saved half done and completed later', async () => {
  const visitor = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Dani' });
  const counsellor = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await CounsellorSignsIn(counsellor, env.server.origin, 'femke', kPassword);
  await CounsellorAccepts(counsellor, 'Dani');
  await counsellor.getByRole('button', { name: 'Gesprek beëindigen' }).click();
  await counsellor.getByRole('button', { name: 'Ja, beëindigen' }).click();

  const form = counsellor.getByRole('form', { name: 'Registratie van het gesprek met Dani' });
  await form.getByRole('group', { name: 'Wie is de bezoeker? (verplicht)' }).getByLabel('Jongere').check();
  const topics = form.getByRole('group', { name: 'Onderwerpen (verplicht)' });
  await topics.getByLabel('Bedreiging').check();
  await topics.getByLabel('Schulden').check();
  await form.getByLabel('Gemeente (niet verplicht)').fill('  Rotterdam ');
  // An optional choice made by mistake can be taken back.
  const age = form.getByRole('group', { name: 'Leeftijd' });
  assert.equal(await age.getByLabel('Niet ingevuld').isChecked(), true);
  await age.getByLabel('16 of 17').check();
  await age.getByLabel('Niet ingevuld').check();
  assert.equal(await age.getByLabel('16 of 17').isChecked(), false);
  assert.deepEqual(await AxeViolations(counsellor), [], 'axe on the registration form');
  await Screenshot(counsellor, 'counsellor-registration');
  await form.getByRole('button', { name: 'Registratie afronden' }).click();
  await form.getByText('Nog niet ingevuld:', { exact: false }).waitFor();
  // The first field still to answer takes the focus and is marked.
  const involved = form.getByRole('group', { name: 'Betrokken bij criminaliteit (verplicht)' });
  assert.equal(await involved.getAttribute('aria-invalid'), 'true');
  assert.equal(await involved.evaluate((group) => group.contains(document.activeElement)), true,
    'the focus is on the first field still to answer');
  await form.getByRole('button', { name: 'Opslaan, later afmaken' }).click();
  await form.getByText('Opgeslagen.', { exact: false }).waitFor();
  // An answer changed after the save: "saved" no longer holds for what is on screen.
  await age.getByLabel('16 of 17').check();
  assert.equal(await form.getByText('Opgeslagen.', { exact: false }).count(), 0);
  await age.getByLabel('Niet ingevuld').check();
  // While a save is under way neither button asks again (a draft must not land over a completed
  // registration).
  let release;
  const held = new Promise((resolve) => (release = resolve));
  let saves = 0;
  await counsellor.route('**/api/v1/registrations/**', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    saves += 1;
    await held;
    return route.continue();
  });
  const asked = counsellor.waitForRequest((request) => request.method() === 'POST' && request.url().includes('/api/v1/registrations/'));
  await form.getByRole('button', { name: 'Opslaan, later afmaken' }).click();
  await asked;
  assert.equal(await form.getByRole('button', { name: 'Opslaan, later afmaken' }).isDisabled(), true);
  assert.equal(await form.getByRole('button', { name: 'Registratie afronden' }).isDisabled(), true);
  release();
  await form.getByText('Opgeslagen.', { exact: false }).waitFor();
  assert.equal(saves, 1);
  await counsellor.unroute('**/api/v1/registrations/**');

  await counsellor.getByRole('button', { name: 'Mijn geschiedenis' }).click();
  const history = counsellor.getByRole('region', { name: 'Mijn geschiedenis' });
  await history.getByText('Nog 1 registratie(s) open in deze periode.').waitFor();
  await history.getByRole('cell', { name: /nog niet af/ }).waitFor();
  // A registration that cannot be read (a connection lost) can be asked for again.
  let losses = 1;
  await counsellor.route('**/api/v1/registrations/*', (route) =>
    losses-- > 0 ? route.abort('connectionreset') : route.fallback(),
  );
  await history.getByRole('button', { name: 'Registratie van Dani invullen' }).click();
  await history.getByText('De registratie kon niet worden geladen of opgeslagen.').waitFor();
  await history.getByRole('button', { name: 'Opnieuw laden' }).click();
  await counsellor.unroute('**/api/v1/registrations/*');
  const later = history.getByRole('form', { name: 'Registratie van het gesprek met Dani' });
  await later.getByLabel('Gemeente (niet verplicht)').waitFor();
  // The button pressed is gone: the focus is on the form's heading, not lost to the page.
  await counsellor.waitForFunction(() => document.activeElement?.tagName === 'H3');
  assert.equal(await later.getByLabel('Gemeente (niet verplicht)').inputValue(), 'Rotterdam');
  assert.equal(await later.getByRole('group', { name: 'Onderwerpen (verplicht)' }).getByLabel('Schulden').isChecked(), true);
  assert.equal(await later.getByRole('group', { name: 'Leeftijd' }).getByLabel('Niet ingevuld').isChecked(), true,
    'the age taken back was saved as not answered');
  for (const [group, choice] of [
    ['Betrokken bij criminaliteit (verplicht)', 'Ja'],
    ['Signalen van uitbuiting (verplicht)', 'Onduidelijk'],
    ['Is de bezoeker in gevaar (verplicht)', 'Nee'],
    ['Uitkomst (verplicht)', 'Advies'],
  ]) {
    await later.getByRole('group', { name: group }).getByLabel(choice, { exact: true }).check();
  }
  await later.getByRole('button', { name: 'Registratie afronden' }).click();
  await later.getByText('De registratie is afgerond.').waitFor();
  await history.getByRole('cell', { name: /afgerond/ }).waitFor();
  assert.equal(await history.getByText('registratie(s) open', { exact: false }).count(), 0);
  // A complete registration can still be corrected from the history.
  await history.getByRole('button', { name: 'Registratie van Dani wijzigen' }).click();
  const outcome = history.getByRole('form', { name: 'Registratie van het gesprek met Dani' })
    .getByRole('group', { name: 'Uitkomst (verplicht)' }).getByLabel('Advies', { exact: true });
  await outcome.waitFor();
  assert.equal(await outcome.isChecked(), true);
  for (const page of [visitor, counsellor]) assert.deepEqual(page.problems, []);
});
