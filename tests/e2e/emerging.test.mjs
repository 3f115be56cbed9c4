// Emerging words ("Opkomende woorden") in the Inzichten view, against the real server. The data
// folder gets conversations of the past: twenty from two months ago and twelve from last week, in
// which visitors began to write "kluisje" (unknown to both lexicons), "bang" (in the risk
// lexicon) and "doekoe" (in the outreach lexicon). An analyst finds the words not computed yet,
// computes them, and sees "kluisje" alone, used in 12 conversations against 0; axe-core finds
// nothing. A supervisor sees the same list but no button to compute or to add. The analyst adds
// "kluisje" to the outreach lexicon in one action: it leaves the list and the lexicon has a new
// version with it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { AxeViolations, NewContext, NewPage } from './support/browser.mjs';
import { CounsellorSignsIn } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';
import { AddStaff, kRepo } from './support/server.mjs';

const env = ServerAndBrowser('emerging');
const kCaption = 'Opkomende woorden, sterkste stijging eerst';
const kPastConversations =
  process.env.UITWEG_PAST_CONVERSATIONS_BIN ||
  path.join(kRepo, 'build/tests/support/uitweg-test-past-conversations');

function AddPastConversations(count, daysAgo, text) {
  const done = spawnSync(kPastConversations, [env.dataDir, String(count), String(daysAgo), text], {
    encoding: 'utf8',
  });
  assert.equal(done.status, 0, done.stderr);
}

function TableRows(page, caption) {
  return page.evaluate((wanted) => {
    const table = [...document.querySelectorAll('table')].find((t) => t.caption?.textContent.trim() === wanted);
    if (!table) return null;
    return [...table.tBodies[0].rows].map((row) => [...row.cells].map((cell) => cell.textContent.trim()));
  }, caption);
}

async function OpenEmergingWords(page) {
  await page.getByRole('button', { name: 'Inzichten', exact: true }).click();
  const section = page.getByRole('region', { name: 'Opkomende woorden' });
  await section.waitFor();
  return section;
}

test('an analyst finds a new word visitors use and adds it to the lexicon', async () => {
  AddPastConversations(20, 60, 'ze willen mijn hulp voor een klus, ik ben moe en heb geen zin');
  AddPastConversations(12, 6, 'ze willen mijn kluisje voor een klus, ik ben bang en heb geen doekoe');
  await AddStaff(env.dataDir, 'anouk', kPassword, 'analyst');
  await AddStaff(env.dataDir, 'sanne', kPassword, 'supervisor');

  // axe-core is injected as a script: the page's Content Security Policy is bypassed for it.
  const analyst = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await analyst.setViewportSize({ width: 1280, height: 900 });
  await CounsellorSignsIn(analyst, env.server.origin, 'anouk', kPassword);
  const words = await OpenEmergingWords(analyst);
  await words.getByText('De opkomende woorden zijn nog niet berekend', { exact: false }).waitFor();
  await words.getByRole('button', { name: 'Nu berekenen' }).click();
  await words.getByRole('table', { name: kCaption }).waitFor();
  assert.deepEqual((await TableRows(analyst, kCaption)).map((row) => row.slice(0, 3)), [['kluisje', '12', '0']]);
  await words.getByText(/Berekend op .*: 12 gesprekken van .* tegen 20 gesprekken van .*minstens 10 gesprekken/).waitFor();
  assert.deepEqual(await AxeViolations(analyst), []);

  const supervisor = await NewPage(await NewContext(env.browser));
  await CounsellorSignsIn(supervisor, env.server.origin, 'sanne', kPassword);
  const seen = await OpenEmergingWords(supervisor);
  await seen.getByRole('table', { name: kCaption }).waitFor();
  assert.deepEqual((await TableRows(supervisor, kCaption)).map((row) => row[0]), ['kluisje']);
  assert.equal(await seen.getByRole('button', { name: 'Nu berekenen' }).count(), 0);
  assert.equal(await seen.getByRole('button', { name: 'Aan lexicon toevoegen: kluisje' }).count(), 0);

  // A colleague saves a version of the lexicon first: the add is refused, the list is read
  // again, and the second try builds on theirs.
  await analyst.evaluate(async () => {
    const api = await import('/assets/console/api.js');
    await api.Me();
    const current = await api.OutreachLexicon();
    await api.AddLexiconTerm({ based_on: current.version, text: 'zwarte kluis huren', category: 'money_mule', weight: 1, note: '' });
  });
  await words.getByRole('combobox', { name: 'Categorie voor kluisje' }).selectOption('money_mule');
  await words.getByRole('button', { name: 'Aan lexicon toevoegen: kluisje' }).click();
  await words.getByText('een collega heeft de woordenlijst intussen gewijzigd', { exact: false }).waitFor();
  await words.getByRole('button', { name: 'Aan lexicon toevoegen: kluisje' }).click();
  await words.getByText('‘kluisje’ staat nu in het lexicon (versie 2).').waitFor();
  await words.getByText('Geen nieuwe woorden die de lexicons nog niet kennen.').waitFor();

  const lexicon = await analyst.evaluate(async () => {
    const lexicon = await (await fetch('/api/v1/outreach/lexicon')).json();
    return { version: lexicon.version, terms: lexicon.terms.filter((term) => term.text === 'kluisje') };
  });
  assert.equal(lexicon.version, 2);
  assert.deepEqual(lexicon.terms.map((term) => term.category), ['money_mule']);
});

// A run the server refuses (one goes on already, say) says why, and the page does not wipe that
// at once by reading the list again.
test('a computation the server refuses says why and keeps saying it', async () => {
  await AddStaff(env.dataDir, 'bram', kPassword, 'analyst');
  const analyst = await NewPage(await NewContext(env.browser));
  await CounsellorSignsIn(analyst, env.server.origin, 'bram', kPassword);
  // Reads of the list, counted as they are made (in the order the page makes them).
  let reads = 0;
  await analyst.route('**/api/v1/insights/emerging', (route) => {
    if (route.request().method() !== 'POST') {
      reads += 1;
      return route.continue();
    }
    return route.fulfill({
      status: 409,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'failed_precondition', message: 'a run is going on' } }),
    });
  });
  const words = await OpenEmergingWords(analyst);
  // The first read of the list has come (the first test added the one new word to the lexicon).
  await words.getByText('Geen nieuwe woorden die de lexicons nog niet kennen.').waitFor();
  const before = reads;
  await words.getByRole('button', { name: 'Nu berekenen' }).click();
  await words.getByText('De berekening kon niet starten. a run is going on').waitFor();
  // A read of our own, made after any the page made: the page made none, and the message stays.
  await analyst.evaluate(async () => (await fetch('/api/v1/insights/emerging')).ok);
  assert.equal(reads, before + 1, 'only the read just above');
  assert.equal(await words.getByText('De berekening kon niet starten. a run is going on').count(), 1);
});

// Words in another script each get their own category field: the field's label names its word.
test('each word in another script has its own labelled category field', async () => {
  await AddStaff(env.dataDir, 'iman', kPassword, 'analyst');
  const analyst = await NewPage(await NewContext(env.browser, { bypassCSP: true }));
  await CounsellorSignsIn(analyst, env.server.origin, 'iman', kPassword);
  await analyst.route('**/api/v1/insights/emerging', async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    const response = await route.fetch();
    const words = await response.json();
    words.terms = ['فلوس', 'شغلة'].map((term) => ({ term, recent: 11, baseline: 0, ratio: 12 }));
    return route.fulfill({ response, json: words });
  });
  const words = await OpenEmergingWords(analyst);
  await words.getByRole('table', { name: kCaption }).waitFor();
  for (const term of ['فلوس', 'شغلة']) {
    assert.equal(await words.getByRole('combobox', { name: `Categorie voor ${term}`, exact: true }).count(), 1, term);
  }
  assert.deepEqual(await AxeViolations(analyst), []);
});
