// A transfer between two counsellors: Femke offers her conversation to Gijs with a note; Gijs
// sees the offer beside the queue and takes it over; the visitor sees one line and nothing
// again; Femke's pane says the conversation is now with Gijs; Gijs reads the note and writes
// on. An offer back that Femke declines tells Gijs it stays with him; handed back to the queue,
// Femke takes it again from there. axe-core finds nothing on the
// transfer form nor on the offer. A supervisor who watched a chat and takes it over counsels it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeViolations, NewContext, NewPage, Screenshot } from './support/browser.mjs';
import {
  CounsellorAccepts,
  CounsellorSays,
  CounsellorSignsIn,
  SeesMessage,
  VisitorStartsChat,
} from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';
import { AddStaff } from './support/server.mjs';

const env = ServerAndBrowser('transfer', { staff: ['femke', 'gijs'] });

test('a counsellor hands a conversation over to a colleague, who takes it with the note', async () => {
  const visitor = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Dani' });
  const femke = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await CounsellorSignsIn(femke, env.server.origin, 'femke', kPassword);
  const gijs = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await CounsellorSignsIn(gijs, env.server.origin, 'gijs', kPassword);
  await CounsellorAccepts(femke, 'Dani');
  await CounsellorSays(femke, 'Dani', 'Hoi Dani, ik ben Femke.');
  await SeesMessage(visitor, 'Hoi Dani, ik ben Femke.');

  await femke.getByRole('button', { name: 'Overdragen aan een collega' }).click();
  const form = femke.getByRole('form', { name: 'Gesprek met Dani overdragen' });
  await form.getByLabel('Aan').selectOption({ label: 'gijs' });
  await form.getByLabel('Notitie voor je collega', { exact: false }).fill('Dani durft niet naar huis; rustig aan.');
  assert.deepEqual(await AxeViolations(femke), [], 'axe on the transfer form');
  await Screenshot(femke, 'counsellor-transfer-form');
  // Offered while the connection is down: the console says so, and the note stays to be sent.
  await femke.context().setOffline(true);
  await femke.getByRole('status').getByText('Geen verbinding', { exact: false }).first().waitFor();
  await form.getByRole('button', { name: 'Aanbieden' }).click();
  await femke.getByText('Niet gelukt: er is nu geen verbinding met de server.', { exact: false }).waitFor();
  assert.equal(await form.getByLabel('Notitie voor je collega', { exact: false }).inputValue(),
    'Dani durft niet naar huis; rustig aan.');
  await femke.context().setOffline(false);
  await femke.getByRole('status').getByText('Verbonden').first().waitFor();
  await femke.getByText('Niet gelukt: er is nu geen verbinding met de server.', { exact: false })
    .waitFor({ state: 'detached' });
  await form.getByRole('button', { name: 'Aanbieden' }).click();
  await femke.getByText('Aangeboden aan gijs', { exact: false }).waitFor();

  const offers = gijs.getByRole('region', { name: 'Overdracht voor jou' });
  await offers.getByText('femke wil het gesprek met Dani aan je overdragen.').waitFor();
  assert.deepEqual(await AxeViolations(gijs), [], 'axe on an offer');
  await Screenshot(gijs, 'counsellor-receives-transfer');
  await offers.getByRole('button', { name: 'Gesprek met Dani overnemen' }).click();
  await gijs.getByLabel('Bericht aan Dani').waitFor();
  await gijs.getByRole('log').getByText('Dani durft niet naar huis; rustig aan.').waitFor();
  await SeesMessage(gijs, 'Hoi Dani, ik ben Femke.');

  await visitor.getByText('Een collega, gijs, neemt het gesprek over.', { exact: false }).waitFor();
  assert.equal(await visitor.getByText('Dani durft niet naar huis').count(), 0, 'the note is for staff');
  await femke.getByText('Dit gesprek is nu bij gijs.').waitFor();
  await CounsellorSays(gijs, 'Dani', 'Ik ben Gijs, ik lees mee wat je Femke vertelde.');
  await SeesMessage(visitor, 'Ik ben Gijs, ik lees mee wat je Femke vertelde.');
  assert.equal(await visitor.getByText('is er nu voor je.').count(), 1, 'no greeting again');
  await Screenshot(visitor, 'visitor-sees-transfer');

  // Gijs offers it back; Femke declines: it stays with Gijs, who is told.
  await gijs.getByRole('button', { name: 'Overdragen aan een collega' }).click();
  const back = gijs.getByRole('form', { name: 'Gesprek met Dani overdragen' });
  await back.getByLabel('Aan').selectOption({ label: 'femke' });
  await back.getByRole('button', { name: 'Aanbieden' }).click();
  const femkeOffers = femke.getByRole('region', { name: 'Overdracht voor jou' });
  await femkeOffers.getByRole('button', { name: 'Overdracht van Dani weigeren' }).click();
  await gijs.getByText('femke heeft het gesprek niet overgenomen; het blijft bij jou.').waitFor();
  await CounsellorSays(gijs, 'Dani', 'Ik blijf bij je.');
  await SeesMessage(visitor, 'Ik blijf bij je.');

  // Or back to the queue, for whoever is free: Femke takes it from there.
  await gijs.getByRole('button', { name: 'Terug naar de wachtrij' }).click();
  await femke.getByRole('button', { name: 'Gesprek met Dani aannemen' }).waitFor();
  await CounsellorAccepts(femke, 'Dani');
  await CounsellorSays(femke, 'Dani', 'Ik ben er weer.');
  await SeesMessage(visitor, 'Ik ben er weer.');
  for (const page of [visitor, femke, gijs]) assert.deepEqual(page.problems, []);
});

// A supervisor who watches a chat and is offered it takes it over: from then on her pane is a
// counsellor's, and what she writes reaches the visitor (not a whisper to herself).
test('a supervisor who watched a chat takes it over and writes to the visitor', async () => {
  await AddStaff(env.dataDir, 'sanne', kPassword, 'supervisor');
  const visitor = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Eli' });
  const femke = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await CounsellorSignsIn(femke, env.server.origin, 'femke', kPassword);
  await CounsellorAccepts(femke, 'Eli');
  const sanne = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await CounsellorSignsIn(sanne, env.server.origin, 'sanne', kPassword);
  await sanne.getByRole('button', { name: 'Team' }).click();
  await sanne.getByRole('button', { name: 'Meekijken bij het gesprek van femke met Eli' }).click();
  await sanne.getByText('Je kijkt mee; de bezoeker ziet je niet.').waitFor();
  await sanne.getByLabel('Fluister aan de hulpverlener van Eli (de bezoeker ziet dit niet)').fill('Vraag naar thuis.');

  await femke.getByRole('button', { name: 'Overdragen aan een collega' }).click();
  const form = femke.getByRole('form', { name: 'Gesprek met Eli overdragen' });
  await form.getByLabel('Aan').selectOption({ label: 'sanne' });
  await form.getByRole('button', { name: 'Aanbieden' }).click();
  const offers = sanne.getByRole('region', { name: 'Overdracht voor jou' });
  await offers.getByRole('button', { name: 'Gesprek met Eli overnemen' }).click();
  await sanne.getByLabel('Bericht aan Eli').waitFor();
  assert.equal(await sanne.getByLabel('Bericht aan Eli').inputValue(), '', 'the half-typed whisper does not go to Eli');
  await CounsellorSays(sanne, 'Eli', 'Ik ben Sanne, ik neem het over.');
  await SeesMessage(visitor, 'Ik ben Sanne, ik neem het over.');
  assert.equal(await sanne.getByText('Je kijkt mee; de bezoeker ziet je niet.').count(), 0);
  for (const page of [visitor, femke, sanne]) assert.deepEqual(page.problems, []);
});
