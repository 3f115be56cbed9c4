// The visitor's place in the queue is live: it moves up when someone ahead is accepted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NewContext, NewPage } from './support/browser.mjs';
import { CounsellorAccepts, CounsellorSignsIn, VisitorStartsChat } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';

const env = ServerAndBrowser('queue', { staff: ['eva'] });

test('the queue position moves up when the visitor ahead is accepted', async () => {
  const [first, second, counsellor] = await Promise.all(
    [1, 2, 3].map(async () => NewPage(await NewContext(env.browser))),
  );
  await VisitorStartsChat(first, env.server.origin, { nickname: 'Fenna' });
  await first.getByText('Je bent nummer 1 in de wachtrij.').waitFor();
  await VisitorStartsChat(second, env.server.origin, { nickname: 'Gijs', subject: 'other' });
  await second.getByText('Je bent nummer 2 in de wachtrij.').waitFor();

  await CounsellorSignsIn(counsellor, env.server.origin, 'eva', kPassword);
  await counsellor.getByRole('button', { name: 'Gesprek met Gijs aannemen' }).waitFor();
  const accepts = counsellor
    .getByRole('region', { name: 'Wachtrij' })
    .getByRole('button', { name: /^Gesprek met .* aannemen$/ });
  assert.deepEqual(
    await accepts.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label'))),
    ['Gesprek met Fenna aannemen', 'Gesprek met Gijs aannemen'],
    'longest waiting first',
  );
  await CounsellorAccepts(counsellor, 'Fenna');
  await second.getByText('Je bent nummer 1 in de wachtrij.').waitFor();
  await first.getByRole('heading', { name: 'Je bent in de wachtrij' }).waitFor({ state: 'hidden' });
  for (const page of [first, second, counsellor]) assert.deepEqual(page.problems, []);
});
