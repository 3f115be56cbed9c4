// When the queue is full a visitor is told kindly that it is very busy, not given a place, and
// is offered to leave a message instead; a visitor who stays away from the queue too long gives
// up their place, and is told so.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NewContext, NewPage } from './support/browser.mjs';
import { VisitorOpensStartForm, VisitorStartsChat } from './support/flows.mjs';
import { ServerAndBrowser } from './support/fixture.mjs';

const env = ServerAndBrowser('busy', {
  config: [
    '[limits]',
    'max_waiting = 1',
    'abandon_after_seconds = 2',
    'visitor_starts_per_minute = 1000',
  ].join('\n'),
});

async function TryToStart(page) {
  await VisitorOpensStartForm(page, env.server.origin);
  await page.getByRole('button', { name: 'Chat starten' }).click();
}

test('a full queue says it is very busy, and a place frees when a visitor stays away', async () => {
  const [first, second] = await Promise.all(
    [1, 2].map(async () => NewPage(await NewContext(env.browser))),
  );
  await VisitorStartsChat(first, env.server.origin, { nickname: 'Fenna' });
  await first.getByText('Je bent nummer 1 in de wachtrij.').waitFor();

  await TryToStart(second);
  await second.getByText(/Het is nu heel druk/).waitFor();
  // Said in the language chosen, after a switch too.
  await second.getByRole('button', { name: 'English' }).click();
  await second.getByText(/It is very busy right now/).waitFor();
  await second.getByRole('button', { name: 'Nederlands' }).click();
  await second.getByText(/Het is nu heel druk/).waitFor();
  assert.equal(await second.getByRole('heading', { name: 'Je bent in de wachtrij' }).count(), 0);
  // A message left takes no place in the queue: that way in is offered, though counsellors are
  // free (when nobody is, the home page offers it anyway).
  await second.getByRole('button', { name: 'Bericht achterlaten' }).click();
  await second.getByText(/Laat hieronder een bericht achter/).waitFor();
  const message = second.getByLabel('Wat wil je ons vertellen?');
  await message.waitFor();
  assert.equal(await message.evaluate((box) => box === document.activeElement), true);
  await second.getByRole('button', { name: 'Start een chat' }).click();

  // The first visitor leaves the page; once away long enough, their place is given up and the
  // second one gets in.
  await first.goto('about:blank');
  for (let attempt = 0; ; attempt += 1) {
    assert.ok(attempt < 60, 'the place of the visitor who left was never freed');
    const [response] = await Promise.all([
      second.waitForResponse((r) => r.url().endsWith('/api/v1/visitor/conversations')),
      second.getByRole('button', { name: 'Chat starten' }).click(),
    ]);
    if (response.status() === 201) break;
    assert.equal(response.status(), 503);
  }
  await second.getByText('Je bent nummer 1 in de wachtrij.').waitFor();

  // Back on the site, the first visitor reads why their chat is over.
  await first.goto(env.server.origin);
  await first.getByText(/je plek in de wachtrij is vrijgegeven/).waitFor();
  for (const page of [first, second]) assert.deepEqual(page.problems, []);
});
