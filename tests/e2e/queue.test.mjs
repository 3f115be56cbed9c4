// The visitor's place in the queue is live: it moves up when someone ahead is accepted, with
// the wait to expect (before anyone has been taken: "you are next" for the first, "very busy"
// behind others). A
// console shows the most urgent part of a long queue and how many wait in all.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NewContext, NewPage } from './support/browser.mjs';
import { CounsellorAccepts, CounsellorSignsIn, VisitorStartsChat } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';

const env = ServerAndBrowser('queue', {
  staff: ['eva'],
  config: '[limits]\nvisitor_starts_per_minute = 1000\n',
});

// Starts a chat over the API, as a visitor's page would.
async function StartOverTheApi(nickname) {
  const response = await fetch(`${env.server.origin}/api/v1/visitor/conversations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ nickname, subject: 'self' }),
  });
  assert.equal(response.status, 201);
  return (await response.json()).conversation_id;
}

test('the queue position moves up when the visitor ahead is accepted', async () => {
  const [first, second, counsellor] = await Promise.all(
    [1, 2, 3].map(async () => NewPage(await NewContext(env.browser))),
  );
  await VisitorStartsChat(first, env.server.origin, { nickname: 'Fenna' });
  await first.getByText('Je bent nummer 1 in de wachtrij.').waitFor();
  // A quiet hour is no busy one: nobody waits ahead.
  await first.getByText('Er wacht niemand voor je: je bent de volgende.', { exact: false }).waitFor();
  await VisitorStartsChat(second, env.server.origin, { nickname: 'Gijs', subject: 'other' });
  await second.getByText('Je bent nummer 2 in de wachtrij.').waitFor();
  await second.getByText('Het is nu erg druk: we kunnen niet zeggen hoe lang het duurt.', { exact: false }).waitFor();

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
  // One left the queue just now; the estimate counts it over at least ten minutes.
  await second.getByText('Je wacht naar verwachting ongeveer 10 minuten.', { exact: false }).waitFor();
  await first.getByRole('heading', { name: 'Je bent in de wachtrij' }).waitFor({ state: 'hidden' });
  for (const page of [first, second, counsellor]) assert.deepEqual(page.problems, []);
});

test('a long queue shows its most urgent fifty and how many wait in all', async () => {
  const counsellor = await NewPage(await NewContext(env.browser));
  await CounsellorSignsIn(counsellor, env.server.origin, 'eva', kPassword);
  const queue = counsellor.getByRole('region', { name: 'Wachtrij' });
  const accepts = queue.getByRole('button', { name: /^Gesprek met .* aannemen$/ });
  // Gijs still waits from the test before.
  await queue.getByRole('button', { name: 'Gesprek met Gijs aannemen' }).waitFor();
  for (let i = 0; i < 55; i += 1) await StartOverTheApi(`Wachtende ${i}`);
  const total = 56;
  await queue.getByText(`De 50 meest dringende van ${total} wachtenden.`).waitFor();
  assert.equal(await accepts.count(), 50);
  assert.match(await counsellor.title(), new RegExp(`^\\(${total}\\) `));
  await CounsellorAccepts(counsellor, 'Gijs');
  await queue.getByText(`De 50 meest dringende van ${total - 1} wachtenden.`).waitFor();
  assert.equal(await accepts.count(), 50, 'the next one moves into view');
  assert.deepEqual(counsellor.problems, []);
});
