// The front door from the console: an admin edits an information page with a preview, saves it
// (visitors see it at once), restores the text that ships with Uitweg and an earlier version
// (unsaved text is lost only after a yes); an analyst creates a campaign code,
// sees what a visit through its link brought, gets the QR code for a poster and retires the
// code. axe-core finds nothing on either panel.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeViolations, NewContext, NewPage, Screenshot } from './support/browser.mjs';
import { CounsellorSignsIn } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';
import { AddStaff } from './support/server.mjs';

const env = ServerAndBrowser('content-admin');

test('an admin edits a page with a preview, visitors see it, and the earlier text comes back', async () => {
  await AddStaff(env.dataDir, 'beheer', kPassword, 'admin');
  const admin = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await CounsellorSignsIn(admin, env.server.origin, 'beheer', kPassword);
  await admin.getByRole('button', { name: "Pagina's" }).click();
  await admin.getByRole('heading', { name: "Informatiepagina's voor bezoekers" }).waitFor();
  assert.deepEqual(await AxeViolations(admin), [], 'axe on the pages list');
  await admin.getByRole('button', { name: 'Veilig gebruik en snel weggaan (nl) bewerken' }).click();
  const text = admin.getByRole('textbox', { name: 'Tekst (Markdown)' });
  await text.waitFor();
  const original = await text.inputValue();
  assert.match(original, /^# Veilig gebruik en snel weggaan/);

  await text.fill('Geen titel');
  await admin.getByRole('button', { name: 'Voorbeeld' }).click();
  await admin.getByText('Niet opgeslagen: a page starts with its title', { exact: false }).waitFor();
  await text.fill('# Veilig weg\n\nDruk **drie keer** op Shift.\n');
  await admin.getByRole('button', { name: 'Voorbeeld' }).click();
  await admin.getByRole('heading', { name: 'Zo zien bezoekers het' }).waitFor();
  await admin.locator('.content-preview strong', { hasText: 'drie keer' }).waitFor();
  assert.deepEqual(await AxeViolations(admin), [], 'axe on the editor with a preview');
  await Screenshot(admin, 'console-content-editor');
  await admin.getByRole('button', { name: 'Opslaan als nieuwe versie' }).click();
  await admin.getByText('Opgeslagen als versie 1. Bezoekers zien hem nu.').waitFor();

  const visitor = await NewPage(await NewContext(env.browser));
  await visitor.goto(`${env.server.origin}/info/safety?lang=nl`);
  await visitor.getByRole('heading', { name: 'Veilig weg', level: 1 }).waitFor();

  // Restoring: the text that ships with Uitweg is opened from the versions and saved back as
  // version 2. A double click saves once, and says nothing of a colleague.
  await admin.getByRole('button', { name: 'De tekst die met Uitweg meekomt openen' }).click();
  await admin.getByText('Je bekijkt de tekst die met Uitweg meekomt.', { exact: false }).waitFor();
  assert.equal(await text.inputValue(), original);
  await admin.getByRole('button', { name: 'Deze versie terugzetten' }).dblclick();
  await admin.getByText('Opgeslagen als versie 2.', { exact: false }).waitFor();
  await admin.getByRole('button', { name: 'Versie 2 openen' }).waitFor();
  assert.equal((await admin.locator('.content-editor [role="alert"]').textContent()).trim(), '');
  assert.equal(await admin.getByRole('button', { name: 'Versie 3 openen' }).count(), 0);

  // Then version 1. Text typed and not saved is lost only after a yes.
  await text.fill('# Half\n\nnog niet klaar');
  await admin.getByRole('button', { name: 'Versie 1 openen' }).click();
  await admin.getByText('Je wijzigingen zijn niet opgeslagen. Weggooien?').waitFor();
  await admin.getByRole('button', { name: 'Nee, verder bewerken' }).click();
  assert.equal(await text.inputValue(), '# Half\n\nnog niet klaar');
  // Closing the panel asks too.
  await admin.locator('section.content > .actions').getByRole('button', { name: 'Sluiten' }).click();
  await admin.getByRole('button', { name: 'Nee, verder bewerken' }).click();
  assert.equal(await text.inputValue(), '# Half\n\nnog niet klaar');
  await admin.getByRole('button', { name: 'Versie 1 openen' }).click();
  await admin.getByRole('button', { name: 'Ja, weggooien' }).click();
  await admin.getByText('Je bekijkt versie 1.', { exact: false }).waitFor();
  await admin.getByRole('button', { name: 'Deze versie terugzetten' }).click();
  await admin.getByText('Opgeslagen als versie 3.', { exact: false }).waitFor();
  await visitor.reload();
  await visitor.getByRole('heading', { name: 'Veilig weg', level: 1 }).waitFor();

  // A version opened while a save is under way stays open when the save's answer comes.
  await text.fill('# Nieuw\n\ntekst');
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await admin.route('**/api/v1/admin/content/safety/nl', async (route) => {
    if (route.request().method() === 'POST') await held;
    return route.continue();
  });
  const saving = admin.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/admin/content/safety/nl'));
  await admin.getByRole('button', { name: 'Opslaan als nieuwe versie' }).click();
  await saving;
  await admin.getByRole('button', { name: 'Versie 2 openen' }).click();
  await admin.getByRole('button', { name: 'Ja, weggooien' }).click();
  await admin.getByText('Je bekijkt versie 2.', { exact: false }).waitFor();
  release();
  await admin.getByText('Opgeslagen als versie 4.', { exact: false }).waitFor();
  assert.equal(await text.inputValue(), original);
  assert.equal(await admin.getByText('Je bekijkt versie 2.', { exact: false }).count(), 1);
  await admin.unroute('**/api/v1/admin/content/safety/nl');
  // Restored, it builds on the save just made: not refused as a colleague's.
  await admin.getByRole('button', { name: 'Deze versie terugzetten' }).click();
  await admin.getByText('Opgeslagen als versie 5.', { exact: false }).waitFor();
  assert.deepEqual(admin.problems, []);
  await admin.context().close();
  await visitor.context().close();
});

test('an analyst creates a campaign code, sees what its link brought, prints its QR and retires it', async () => {
  await AddStaff(env.dataDir, 'anouk', kPassword, 'analyst');
  const analyst = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await CounsellorSignsIn(analyst, env.server.origin, 'anouk', kPassword);
  await analyst.getByRole('button', { name: 'Campagnes' }).click();
  await analyst.getByRole('heading', { name: 'Campagnes' }).waitFor();
  await analyst.getByRole('textbox', { name: 'Code' }).fill('Poster Zuid');
  await analyst.getByRole('textbox', { name: 'Omschrijving' }).fill('Posters in Zuid');
  await analyst.getByRole('button', { name: 'Code aanmaken' }).click();
  await analyst.getByText('Niet aangemaakt:', { exact: false }).waitFor();
  await analyst.getByRole('textbox', { name: 'Code' }).fill('poster-zuid');
  // A double click makes one code, not one and then "that code is taken".
  const creates = [];
  analyst.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/v1/campaigns')) creates.push(request);
  });
  // Two clicks before any answer can come, as a quick double click gives.
  await analyst.getByRole('button', { name: 'Code aanmaken' }).evaluate((button) => {
    button.click();
    button.click();
  });
  await analyst.getByRole('rowheader', { name: /poster-zuid/ }).waitFor();
  assert.equal(creates.length, 1);
  assert.equal(await analyst.getByText('Niet aangemaakt', { exact: false }).count(), 0);

  const visitor = await NewPage(await NewContext(env.browser));
  const counted = visitor.waitForResponse((r) => r.url().endsWith('/api/v1/visitor/events'));
  await visitor.goto(`${env.server.origin}/?c=poster-zuid`);
  assert.equal((await counted).status(), 204);
  await visitor.context().close();

  await analyst.getByRole('button', { name: 'Campagnes' }).click();
  await analyst.getByRole('button', { name: 'Campagnes' }).click();
  const row = analyst.getByRole('row', { name: /poster-zuid/ });
  await row.getByRole('cell', { name: '1', exact: true }).first().waitFor();
  await analyst.getByRole('button', { name: 'QR-code voor poster-zuid' }).click();
  await analyst.getByRole('img', { name: `QR-code voor ${env.server.origin}/?c=poster-zuid` }).waitFor();
  assert.deepEqual(await AxeViolations(analyst), [], 'axe on the campaigns panel');
  await Screenshot(analyst, 'console-campaigns');
  await analyst.getByRole('button', { name: 'Code poster-zuid stoppen' }).click();
  await analyst.getByRole('button', { name: 'Ja, stoppen' }).click();
  await analyst.getByText('(gestopt)').waitFor();
  // A stopped code counts nothing: its poster is no longer there to print.
  assert.equal(await analyst.getByRole('img', { name: `QR-code voor ${env.server.origin}/?c=poster-zuid` }).count(), 0);
  assert.deepEqual(analyst.problems, []);
  await analyst.context().close();
});
