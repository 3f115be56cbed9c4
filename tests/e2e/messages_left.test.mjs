// Messages left: with nobody free, a visitor leaves a message and is shown a pick-up code (again
// after a reload, until they go on to their message);
// a counsellor who signs in later finds it among the messages left, takes it and answers; the
// visitor comes back on another device with the code, reads the answer and writes back. A wrong
// code says so. axe-core finds nothing on the code page, the waiting message or the picked-up
// conversation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeViolations, LoseFirstAnswer, NewContext, NewPage, Screenshot } from './support/browser.mjs';
import { CounsellorSays, CounsellorSignsIn, SeesMessage, VisitorSays } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';

const env = ServerAndBrowser('messages-left', { staff: ['femke'] });

test('a visitor leaves a message, a counsellor answers, the visitor picks it up later', async () => {
  const firstContext = await NewContext(env.browser, { bypassCSP: true });
  const visitor = await NewPage(firstContext);
  await visitor.goto(`${env.server.origin}/`);
  await visitor.getByText('er is op dit moment niemand vrij', { exact: false }).waitFor();
  await visitor.getByRole('button', { name: 'Bericht achterlaten' }).click();
  await visitor.getByText('Schrijf eerst een bericht.').waitFor();
  await visitor.getByLabel('Wat wil je ons vertellen?').fill('Ik moet spullen bewaren voor iemand. Wat moet ik doen?');
  await visitor.getByRole('button', { name: 'Bericht achterlaten' }).click();
  await visitor.getByRole('heading', { name: 'Bewaar je ophaalcode' }).waitFor();
  const code = (await visitor.locator('#left-code').textContent()).trim();
  assert.match(code, /^[a-z]{6}(-[a-z]{6}){3}$/);
  assert.deepEqual(await AxeViolations(visitor), [], 'axe on the pick-up code');
  await Screenshot(visitor, 'visitor-message-left');
  // A reload, or a tab the browser discarded while the visitor wrote the code down elsewhere,
  // shows the code again until the visitor goes on: it is shown nowhere else.
  await visitor.reload();
  await visitor.getByRole('heading', { name: 'Bewaar je ophaalcode' }).waitFor();
  assert.equal((await visitor.locator('#left-code').textContent()).trim(), code);
  await visitor.getByRole('button', { name: 'Naar mijn bericht' }).click();
  await SeesMessage(visitor, 'Ik moet spullen bewaren voor iemand. Wat moet ik doen?');
  await visitor.getByText('Kom later terug met je ophaalcode', { exact: false }).waitFor();
  await visitor.reload();
  await SeesMessage(visitor, 'Ik moet spullen bewaren voor iemand. Wat moet ik doen?');
  assert.equal(await visitor.getByRole('heading', { name: 'Bewaar je ophaalcode' }).isVisible(), false);
  assert.equal(await visitor.getByRole('heading', { name: 'Je bent in de wachtrij' }).isVisible(), false);
  assert.deepEqual(await AxeViolations(visitor), [], 'axe on a message left, waiting');
  assert.deepEqual(visitor.problems, []);
  await firstContext.close();

  const counsellorContext = await NewContext(env.browser, { bypassCSP: true });
  const counsellor = await NewPage(counsellorContext);
  // The list is read by the console on its own: that must not keep an idle console signed in.
  const listRead = counsellor.waitForRequest((request) => request.url().endsWith('/api/v1/messages-left'));
  await CounsellorSignsIn(counsellor, env.server.origin, 'femke', kPassword);
  assert.equal((await listRead).headers()['x-uitweg-background'], '1');
  const left = counsellor.getByRole('region', { name: 'Achtergelaten berichten' });
  await left.getByText('Ik moet spullen bewaren voor iemand.', { exact: false }).waitFor();
  assert.deepEqual(await AxeViolations(counsellor), [], 'axe on the console with a message left');
  await Screenshot(counsellor, 'counsellor-messages-left');
  await left.getByRole('button', { name: 'Bericht van Anoniem beantwoorden' }).click();
  await counsellor.getByLabel('Bericht aan Anoniem').waitFor();
  await CounsellorSays(counsellor, 'Anoniem', 'Goed dat je schrijft. Je hoeft niets te bewaren.');
  await left.getByText('Er liggen geen berichten.').waitFor();

  const laterContext = await NewContext(env.browser, { bypassCSP: true });
  const later = await NewPage(laterContext);
  await later.goto(`${env.server.origin}/`);
  await later.getByRole('textbox', { name: 'Je ophaalcode' }).fill('bakime-tosira-lepado-mifeka');
  await later.getByRole('button', { name: 'Lees het antwoord' }).click();
  await later.getByText('Deze code kennen we niet.', { exact: false }).waitFor();
  await later.getByRole('textbox', { name: 'Je ophaalcode' }).fill(code.toUpperCase().replaceAll('-', ' '));
  await later.getByRole('button', { name: 'Lees het antwoord' }).click();
  await SeesMessage(later, 'Goed dat je schrijft. Je hoeft niets te bewaren.');
  await SeesMessage(later, 'Ik moet spullen bewaren voor iemand. Wat moet ik doen?');
  await VisitorSays(later, 'Dank je. Ze zeggen dat ik het moet doen.');
  await SeesMessage(counsellor, 'Dank je. Ze zeggen dat ik het moet doen.');
  assert.deepEqual(await AxeViolations(later), [], 'axe on a picked-up conversation');
  await Screenshot(later, 'visitor-picks-up-the-answer');
  // Gone, Femke counts as there for a minute more unless she says she is away.
  await counsellor.getByLabel('Status').selectOption('away');
  await counsellor.getByText('Je staat op afwezig', { exact: false }).waitFor();
  for (const page of [later, counsellor]) assert.deepEqual(page.problems, []);
  for (const context of [counsellorContext, laterContext]) await context.close();
});

// The message was stored, but its answer never reached the page: the visitor's second try gets
// a pick-up code for that message instead of leaving it twice.
test('a message left whose answer was lost on the way is left once when the visitor tries again', async () => {
  const context = await NewContext(env.browser, { bypassCSP: true });
  const visitor = await NewPage(context);
  const lostStatus = await LoseFirstAnswer(visitor, '**/api/v1/visitor/messages');
  // The form shows while nobody is free: the counsellor of the test before has just gone away.
  const nobodyFree = async () =>
    (await (await fetch(`${env.server.origin}/api/v1/visitor/status`)).json()).counsellors_available === 0;
  for (const deadline = Date.now() + 15000; !(await nobodyFree());) {
    assert.ok(Date.now() < deadline, 'the counsellor of the test before is still counted');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await visitor.goto(`${env.server.origin}/`);
  await visitor.getByText('er is op dit moment niemand vrij', { exact: false }).waitFor();
  await visitor.getByLabel('Wat wil je ons vertellen?').fill('Mijn bankpas is weg, ik moest hem uitlenen.');
  await visitor.getByRole('button', { name: 'Bericht achterlaten' }).click();
  await visitor.getByText('Je bericht kon niet worden verstuurd. Probeer het zo nog eens.').waitFor();
  assert.equal(lostStatus(), 201, 'stored before the answer was lost');
  await visitor.getByRole('button', { name: 'Bericht achterlaten' }).click();
  await visitor.getByRole('heading', { name: 'Bewaar je ophaalcode' }).waitFor();

  const counsellor = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await CounsellorSignsIn(counsellor, env.server.origin, 'femke', kPassword);
  const left = counsellor.getByRole('region', { name: 'Achtergelaten berichten' });
  const message = left.getByText('Mijn bankpas is weg', { exact: false });
  await message.first().waitFor();
  assert.equal(await message.count(), 1, 'one message left');
  for (const page of [visitor, counsellor]) {
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});
