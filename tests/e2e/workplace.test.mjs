// A counsellor at work: three conversations side by side, each with its unread count; a tone and
// (with the console in the background) a desktop notification for a new visitor and a new
// message, which names nobody and quotes nothing; the tab title counts who waits and what is
// unread.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CountRewrites, NewContext, NewPage, ObserveAlerts, Screenshot } from './support/browser.mjs';
import { CounsellorAccepts, CounsellorSignsIn, SeesMessage, VisitorSays, VisitorStartsChat } from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';
import { AddStaff } from './support/server.mjs';

const env = ServerAndBrowser('workplace', { staff: ['wim', 'vera', 'tom', 'ivo'] });

async function Visitor(nickname) {
  const context = await NewContext(env.browser);
  const page = await NewPage(context);
  await VisitorStartsChat(page, env.server.origin, { nickname });
  return { context, page };
}

async function WaitFor(page, predicate, arg) {
  await page.waitForFunction(predicate, arg, { timeout: 15000 });
}

test('a counsellor works three conversations at once and is alerted to what is new', async () => {
  const counsellorContext = await NewContext(env.browser);
  await counsellorContext.grantPermissions(['notifications'], { origin: env.server.origin });
  await ObserveAlerts(counsellorContext);
  const counsellor = await NewPage(counsellorContext);
  await CounsellorSignsIn(counsellor, env.server.origin, 'wim', kPassword);
  assert.equal(await counsellor.getByRole('button', { name: 'Meldingen aanzetten' }).count(), 0,
    'permission granted already: nothing to ask');

  const visitors = [];
  for (const nickname of ['Ada', 'Bo', 'Cas']) {
    const tones = await counsellor.evaluate(() => window.__tones);
    visitors.push(await Visitor(nickname));
    await counsellor.getByRole('button', { name: `Gesprek met ${nickname} aannemen` }).waitFor();
    await WaitFor(counsellor, (before) => window.__tones > before, tones);
    await CounsellorAccepts(counsellor, nickname);
  }
  const list = counsellor.getByRole('navigation', { name: 'Mijn gesprekken' });
  for (const nickname of ['Ada', 'Bo', 'Cas']) await list.getByRole('button', { name: new RegExp(nickname) }).waitFor();

  // Cas's conversation is open; Ada writes: a tone, an unread count and the title says so.
  const tones = await counsellor.evaluate(() => window.__tones);
  await VisitorSays(visitors[0].page, 'Ben je er nog?');
  await list.getByRole('button', { name: /Ada.*1 nieuw.*wacht .* op antwoord/ }).waitFor();
  await WaitFor(counsellor, (before) => window.__tones > before, tones);
  await WaitFor(counsellor, () => document.title === '(0 · 1 nieuw) Uitweg – console');
  assert.equal(await counsellor.evaluate(() => window.__shown.length), 0, 'in view: no notification');

  // With the console in the background, Bo writes: a desktop notification that names nobody.
  await counsellor.evaluate(() => {
    window.__hidden = true;
  });
  await VisitorSays(visitors[1].page, 'Ik durf niet naar huis.');
  await WaitFor(counsellor, () => window.__shown.length === 1);
  const shown = await counsellor.evaluate(() => window.__shown[0]);
  assert.equal(shown.body, 'Er is een nieuw bericht in een van je gesprekken.');
  assert.doesNotMatch(JSON.stringify(shown), /Bo|durf/);
  await WaitFor(counsellor, () => document.title === '(0 · 2 nieuw) Uitweg – console');

  // A new visitor while in the background: notified too; the title counts them.
  const dex = await Visitor('Dex');
  await WaitFor(counsellor, () => window.__shown.length === 2);
  assert.equal(await counsellor.evaluate(() => window.__shown[1].body), 'Er wacht iemand nieuw in de wachtrij.');
  await WaitFor(counsellor, () => document.title === '(1 · 2 nieuw) Uitweg – console');

  // What Dex writes while waiting shows in the queue, so the most urgent can be chosen knowingly.
  await VisitorSays(dex.page, 'Ze weten waar ik woon.\nIk ben bang.');
  await counsellor.getByRole('region', { name: 'Wachtrij' }).getByText('Ze weten waar ik woon.').waitFor();

  // A note half typed on Cas waits in Cas's box, still a note, while the counsellor reads Ada's
  // conversation.
  await counsellor.getByLabel('Als interne notitie (de bezoeker ziet dit niet)').check();
  const casNote = counsellor.getByLabel('Interne notitie bij het gesprek met Cas (de bezoeker ziet dit niet)');
  await casNote.fill('Ik zoek even uit wat');
  // Reading Ada's conversation clears its count.
  await list.getByRole('button', { name: /Ada/ }).click();
  await SeesMessage(counsellor, 'Ben je er nog?');
  assert.equal(await counsellor.getByLabel('Bericht aan Ada').inputValue(), '');
  await WaitFor(counsellor, () => document.title === '(1 · 1 nieuw) Uitweg – console');
  await Screenshot(counsellor, 'counsellor-three-conversations');
  await list.getByRole('button', { name: /Cas/ }).click();
  assert.equal(await casNote.inputValue(), 'Ik zoek even uit wat');
  await casNote.fill('');
  await counsellor.getByLabel('Als interne notitie (de bezoeker ziet dit niet)').uncheck();
  await list.getByRole('button', { name: /Ada/ }).click();
  assert.deepEqual(counsellor.problems, []);

  // Sound off is remembered; no more tones.
  await counsellor.getByRole('checkbox', { name: 'Geluid' }).uncheck();
  const silent = await counsellor.evaluate(() => window.__tones);
  await VisitorSays(visitors[2].page, 'Hallo?');
  await list.getByRole('button', { name: /Cas.*1 nieuw/ }).waitFor();
  assert.equal(await counsellor.evaluate(() => window.__tones), silent);
  await counsellorContext.close();
  for (const visitor of visitors) await visitor.context.close();
});

test('a counsellor is asked once whether the console may notify', async () => {
  const context = await NewContext(env.browser);
  const page = await NewPage(context);
  await CounsellorSignsIn(page, env.server.origin, 'vera', kPassword);
  await page.getByRole('button', { name: 'Meldingen aanzetten' }).waitFor();
  await context.close();
});

test('a counsellor who signs out hands the visitor to a colleague, who reads what was said', async () => {
  const visitor = await Visitor('Eli');
  const tomContext = await NewContext(env.browser);
  const tom = await NewPage(tomContext);
  await CounsellorSignsIn(tom, env.server.origin, 'tom', kPassword);
  await CounsellorAccepts(tom, 'Eli');
  await VisitorSays(visitor.page, 'Ze dreigen mijn broertje iets aan te doen.');
  await SeesMessage(tom, 'Ze dreigen mijn broertje iets aan te doen.');

  await tom.getByRole('button', { name: 'Uitloggen' }).click();
  await visitor.page.getByText('Je hulpverlener moest weg.', { exact: false }).waitFor();
  await visitor.page.getByRole('heading', { name: 'Je bent in de wachtrij' }).waitFor();

  const veraContext = await NewContext(env.browser);
  const vera = await NewPage(veraContext);
  await CounsellorSignsIn(vera, env.server.origin, 'vera', kPassword);
  await CounsellorAccepts(vera, 'Eli');
  await SeesMessage(vera, 'Ze dreigen mijn broertje iets aan te doen.');
  await vera.getByText('Het gesprek van tom is teruggezet in de wachtrij.').waitFor();
  await visitor.page.getByText('vera is er nu voor je.').waitFor();
  await Screenshot(vera, 'counsellor-takes-over-after-sign-out');
  assert.deepEqual(visitor.page.problems, []);
  assert.deepEqual(vera.problems, []);
  for (const context of [visitor.context, tomContext, veraContext]) await context.close();
});

test('a supervisor sets how many conversations a counsellor takes at once; "help the next person"', async () => {
  await AddStaff(env.dataDir, 'sara', kPassword, 'supervisor');
  const supervisorContext = await NewContext(env.browser);
  const supervisor = await NewPage(supervisorContext);
  await CounsellorSignsIn(supervisor, env.server.origin, 'sara', kPassword);
  await supervisor.getByRole('button', { name: 'Team' }).click();
  const ivo = supervisor.getByRole('row', { name: /ivo/ });
  await ivo.getByText('0 van 3').waitFor();
  await supervisor.getByLabel('Hoeveel gesprekken ivo tegelijk voert').fill('1');
  await ivo.getByRole('button', { name: 'Opslaan' }).click();
  await ivo.getByText('0 van 1').waitFor();
  await Screenshot(supervisor, 'supervisor-team');

  const first = await Visitor('Fem');
  const second = await Visitor('Gus');
  const counsellorContext = await NewContext(env.browser);
  const counsellor = await NewPage(counsellorContext);
  await CounsellorSignsIn(counsellor, env.server.origin, 'ivo', kPassword);
  // Dex (from the first test) waits longest: the next person is Dex, then the capacity is full.
  await counsellor.getByRole('button', { name: 'Help de volgende' }).click();
  await counsellor.getByLabel(/^Bericht aan /).waitFor();
  await counsellor.getByRole('button', { name: 'Help de volgende' }).click();
  await counsellor.getByText('Je voert al zoveel gesprekken als je tegelijk mag.', { exact: false }).waitFor();
  assert.deepEqual(supervisor.problems, []);
  assert.deepEqual(counsellor.problems, []);
  for (const context of [first.context, second.context, supervisorContext, counsellorContext]) await context.close();
});

test('each side sees the other typing, and the counsellor sees the visitor leave the page', async () => {
  const visitor = await Visitor('Hana');
  const context = await NewContext(env.browser);
  const counsellor = await NewPage(context);
  let typingSent = 0;
  counsellor.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => {
      if (String(payload).includes('"type":"typing"')) typingSent += 1;
    });
  });
  await CounsellorSignsIn(counsellor, env.server.origin, 'vera', kPassword);
  await CounsellorAccepts(counsellor, 'Hana');
  await counsellor.getByText('Hana is op de pagina.').waitFor();
  await visitor.page.getByText('is er nu voor je.', { exact: false }).waitFor();

  await visitor.page.getByLabel('Je bericht').pressSequentially('Ik weet niet');
  await counsellor.getByText('Hana typt…').waitFor();
  assert.equal(await counsellor.getByText('Ik weet niet').count(), 0, 'never what is typed');
  await counsellor.getByLabel('Bericht aan Hana').pressSequentially('Neem je tijd');
  await visitor.page.getByText('De hulpverlener typt…').waitFor();
  // Typed on, the line is written again only if its words change: a live region rewritten with
  // the same words is read out again, every 2 s.
  const typingRewrites = await CountRewrites(visitor.page, 'typing');
  const sentBefore = typingSent;
  for (let i = 0; typingSent === sentBefore && i < 200; i += 1) {
    await counsellor.getByLabel('Bericht aan Hana').press('.', { delay: 50 });
  }
  assert.ok(typingSent > sentBefore, 'typed long enough to say so again');
  await counsellor.getByRole('button', { name: 'Verstuur' }).click();
  await visitor.page.getByRole('log').getByText('Neem je tijd', { exact: false }).waitFor();
  assert.equal(await typingRewrites(), 0);

  await visitor.context.close();  // the tab closes
  await counsellor.getByText(/Hana heeft de pagina verlaten om \d\d:\d\d\./).waitFor();
  await Screenshot(counsellor, 'counsellor-sees-visitor-leave');
  assert.deepEqual(counsellor.problems, []);
  await context.close();
});

test('accepting with the keyboard puts the focus in the message box; ending asks first, on both sides', async () => {
  const visitor = await Visitor('Ivo');
  const context = await NewContext(env.browser);
  const counsellor = await NewPage(context);
  await CounsellorSignsIn(counsellor, env.server.origin, 'tom', kPassword);
  await counsellor.getByRole('button', { name: 'Gesprek met Ivo aannemen' }).focus();
  await counsellor.keyboard.press('Enter');
  await WaitFor(counsellor, () => document.activeElement?.getAttribute('id')?.startsWith('input-'));
  await counsellor.keyboard.type('Hoi Ivo');
  await counsellor.keyboard.press('Enter');
  await SeesMessage(visitor.page, 'Hoi Ivo');

  await counsellor.getByRole('button', { name: 'Gesprek beëindigen' }).click();
  await counsellor.getByRole('button', { name: 'Nee' }).click();
  await visitor.page.getByRole('button', { name: 'Chat beëindigen' }).click();
  await visitor.page.getByRole('button', { name: 'Nee, verder chatten' }).click();
  await VisitorSays(visitor.page, 'Nog steeds hier.');
  await SeesMessage(counsellor, 'Nog steeds hier.');

  await visitor.page.getByRole('button', { name: 'Chat beëindigen' }).click();
  await visitor.page.getByRole('button', { name: 'Ja, beëindigen' }).click();
  await visitor.page.getByRole('heading', { name: 'Het gesprek is beëindigd' }).waitFor();
  assert.deepEqual(visitor.page.problems, []);
  assert.deepEqual(counsellor.problems, []);
  await visitor.context.close();
  await context.close();
});

test('a counsellor sets themself busy or away; away hands their visitor back to the queue', async () => {
  const visitor = await Visitor('Joep');
  const context = await NewContext(env.browser);
  const counsellor = await NewPage(context);
  await CounsellorSignsIn(counsellor, env.server.origin, 'tom', kPassword);
  await CounsellorAccepts(counsellor, 'Joep');
  await visitor.page.getByText('is er nu voor je.', { exact: false }).waitFor();

  const status = counsellor.getByLabel('Status');
  await status.selectOption('busy');
  await counsellor.getByText('Je staat op bezig', { exact: false }).waitFor();
  const other = await Visitor('Kees');
  await counsellor.getByRole('button', { name: 'Gesprek met Kees aannemen' }).waitFor();
  assert.equal(await counsellor.getByRole('button', { name: 'Gesprek met Kees aannemen' }).isDisabled(), true);
  assert.equal(await counsellor.getByRole('button', { name: 'Help de volgende' }).count(), 0);
  await Screenshot(counsellor, 'counsellor-busy');

  await status.selectOption('away');
  await counsellor.getByText('Je staat op afwezig', { exact: false }).waitFor();
  await counsellor.getByText('Dit gesprek staat weer in de wachtrij', { exact: false }).waitFor();
  // The visitor is told their place again, and a reload (which replays the take and the
  // hand-back) keeps it.
  const place = visitor.page.getByText(/^Je bent nummer \d in de wachtrij\./);
  await place.waitFor();
  await visitor.page.reload();
  await visitor.page.getByRole('heading', { name: 'Je bent in de wachtrij' }).waitFor();
  await place.waitFor();
  await counsellor.reload();
  // Kept across a reload: the choice appears once the server has said where the counsellor stands.
  await counsellor.getByLabel('Status').waitFor();
  assert.equal(await counsellor.getByLabel('Status').inputValue(), 'away');
  assert.deepEqual(counsellor.problems, []);
  for (const c of [visitor.context, other.context, context]) await c.close();
});
