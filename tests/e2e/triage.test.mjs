// Triage in the console: a waiting visitor who writes about a threat moves to the top of the
// queue marked urgent, with the words that counted; a counsellor who judges otherwise sets the
// mark by hand, and it stays. axe-core finds nothing on the queue with its marks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeViolations, NewContext, NewPage, Screenshot } from './support/browser.mjs';
import { CounsellorSignsIn, VisitorSays, VisitorStartsChat } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';

const env = ServerAndBrowser('triage', { staff: ['nora'] });

test('an urgent visitor rises to the top with the words that counted; a counsellor may change the mark', async () => {
  const visitors = [];
  for (const nickname of ['Ada', 'Bo']) {
    const context = await NewContext(env.browser);
    const page = await NewPage(context);
    await VisitorStartsChat(page, env.server.origin, { nickname });
    visitors.push({ context, page });
  }
  await VisitorSays(visitors[0].page, 'Hoi, ik heb een vraag.');
  await VisitorSays(visitors[1].page, 'Ze weten waar ik woon en ik moet morgen weer.');

  const context = await NewContext(env.browser, { bypassCSP: true });
  const counsellor = await NewPage(context);
  await CounsellorSignsIn(counsellor, env.server.origin, 'nora', kPassword);
  const queue = counsellor.getByRole('region', { name: 'Wachtrij' });
  const entries = queue.getByRole('listitem');
  await entries.first().locator('.urgent').waitFor();
  await entries.first().getByText('Signalen: Ze weten waar ik woon, moet morgen weer').waitFor();
  assert.match(await entries.first().innerText(), /Bo/, 'the urgent one first');
  assert.deepEqual(await AxeViolations(counsellor), [], 'axe on the queue with marks');
  await Screenshot(counsellor, 'counsellor-queue-triage');

  await counsellor.getByLabel('Urgentie van Bo').selectOption('0');
  await entries.first().getByText('Ada', { exact: true }).waitFor();
  await entries.nth(1).getByText('met de hand gezet').waitFor();
  assert.equal(await counsellor.getByLabel('Urgentie van Bo').inputValue(), '0');

  // Triage no longer overrules the counsellor.
  await VisitorSays(visitors[1].page, 'Ze hebben een mes.');
  await entries.nth(1).getByText(/Signalen: .*mes/).waitFor();
  assert.match(await entries.first().innerText(), /Ada/);

  assert.deepEqual(counsellor.problems, []);
  for (const visitor of visitors) await visitor.context.close();
  await context.close();
});
