// After a chat the visitor may answer two questions, or skip them; the answers go to the server
// apart from the conversation, once. axe-core finds nothing on the end of a chat with them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeViolations, NewContext, NewPage } from './support/browser.mjs';
import { CounsellorAccepts, CounsellorSignsIn, VisitorStartsChat } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';

const env = ServerAndBrowser('feedback', { staff: ['femke'] });

test('a visitor answers the two questions after the chat, once', async () => {
  const visitorContext = await NewContext(env.browser, { bypassCSP: true });
  const visitor = await NewPage(visitorContext);
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Dani' });
  const counsellorContext = await NewContext(env.browser);
  const counsellor = await NewPage(counsellorContext);
  await CounsellorSignsIn(counsellor, env.server.origin, 'femke', kPassword);
  await CounsellorAccepts(counsellor, 'Dani');
  await visitor.getByText('is er nu voor je.', { exact: false }).waitFor();

  await visitor.getByRole('button', { name: 'Chat beëindigen' }).click();
  await visitor.getByRole('button', { name: 'Ja, beëindigen' }).click();
  const helped = visitor.getByRole('group', { name: 'Heeft dit gesprek je geholpen?' });
  await helped.waitFor();
  assert.deepEqual(await AxeViolations(visitor), [], 'axe on the end of a chat with the questions');
  await visitor.getByRole('button', { name: 'Verstuur je antwoorden' }).click();
  await visitor.getByText('Kies eerst een antwoord, of sla de vragen over.').waitFor();
  await helped.getByLabel('Een beetje').check();
  await visitor.getByRole('group', { name: 'Zou je terugkomen als je weer ergens mee zit?' }).getByLabel('Ja').check();
  await visitor.getByRole('button', { name: 'Verstuur je antwoorden' }).click();
  await visitor.getByText('Dank je wel voor je antwoorden.').waitFor();
  await helped.waitFor({ state: 'hidden' });
  await visitor.waitForFunction(() => document.activeElement?.id === 'feedback-status');

  // On a shared phone the next person's chat starts with nothing of these answers.
  await visitor.getByRole('button', { name: 'Start een nieuwe chat' }).click();
  await visitor.getByLabel('Hoe mogen we je noemen? (niet verplicht)').fill('Kim');
  await visitor.getByRole('button', { name: 'Chat starten' }).click();
  await CounsellorAccepts(counsellor, 'Kim');
  await visitor.getByText('is er nu voor je.', { exact: false }).waitFor();
  await visitor.getByRole('button', { name: 'Chat beëindigen' }).click();
  await visitor.getByRole('button', { name: 'Ja, beëindigen' }).click();
  await helped.waitFor();
  assert.equal(await visitor.locator('#feedback input:checked').count(), 0, 'no answer ticked');
  assert.deepEqual(visitor.problems, []);
  for (const c of [visitorContext, counsellorContext]) await c.close();
});
