// The visitor's front door in a real browser: information pages without scripts, the self-check
// carried into a chat, the path for someone worried, quick exit from every kind of page, the
// transcript cleared from the tab after an end, the connection status when the browser goes
// offline, languages (the browser's first, then the visitor's choice, Arabic right to left),
// campaign links counted and taken out of the address bar, and axe-core on every page at 360
// and 1280 pixels wide, with 360-pixel screenshots in build/screenshots.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeViolations, LoseFirstAnswer, NewContext, NewPage, Screenshot } from './support/browser.mjs';
import {
  CounsellorAccepts,
  CounsellorEnds,
  CounsellorSays,
  CounsellorSignsIn,
  SeesMessage,
  KeptInTab,
  VisitorOpensStartForm,
  VisitorSays,
  VisitorStartsChat,
} from './support/flows.mjs';
import { kPassword, ServerAndBrowser } from './support/fixture.mjs';

const kNeutralSite = 'https://www.google.nl/';
const env = ServerAndBrowser('front-door', { staff: ['femke'], config: 'neutral_title = true\n' });

async function AnswerEveryQuestion(page, answer) {
  while (!(await page.locator('#result').isVisible())) {
    await page.getByRole('radio', { name: answer }).check();
    await page.getByRole('button', { name: 'Volgende' }).click();
  }
}

test('a visitor reads a page, takes the self-check and starts a chat with its result', async () => {
  const context = await NewContext(env.browser);
  const page = await NewPage(context);
  await page.goto(`${env.server.origin}/`);
  await page.getByRole('link', { name: 'Wat is criminele uitbuiting?' }).click();
  await page.getByRole('heading', { name: 'Wat is criminele uitbuiting?', level: 1 }).waitFor();
  await page.getByRole('link', { name: 'Doe de check' }).click();
  await page.getByRole('heading', { name: 'Check: word ik gebruikt?' }).waitFor();
  await page.getByText('Vraag 1 van').waitFor();
  await AnswerEveryQuestion(page, 'Ja');
  await page.locator('#result').waitFor();
  await page.getByLabel('Neem deze uitkomst mee naar de chat', { exact: false }).check();
  await page.getByRole('link', { name: 'Naar de chat' }).click();

  await page.getByRole('button', { name: 'Start een chat' }).click();
  await page.getByRole('textbox', { name: 'Hoe mogen we je noemen? (niet verplicht)' }).fill('Noor');
  await page.getByRole('button', { name: 'Chat starten' }).click();
  const message = page.getByRole('textbox', { name: 'Je bericht' });
  await message.waitFor();
  assert.match(await message.inputValue(), /^Ik heb de check gedaan\. De uitkomst was: /);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a name with emoji starts a chat; a name with a hidden character is refused in plain words', async () => {
  const context = await NewContext(env.browser);
  const page = await NewPage(context);
  await page.goto(`${env.server.origin}/`);
  await page.getByRole('button', { name: 'Start een chat' }).click();
  const name = page.getByRole('textbox', { name: 'Hoe mogen we je noemen? (niet verplicht)' });
  // A zero-width space: it would let a name pose as another in the counsellor's console.
  await name.fill('Sam\u200B');
  await page.getByRole('button', { name: 'Chat starten' }).click();
  await page.getByText('Deze naam kan niet. Kies een andere naam, of laat het vak leeg.').waitFor();
  // A shrug and a rainbow flag are drawn with zero-width joiners.
  await name.fill('Sam \u{1F937}\u200D\u2642\uFE0F \u{1F3F3}\uFE0F\u200D\u{1F308}');
  await page.getByRole('button', { name: 'Chat starten' }).click();
  await page.getByRole('heading', { name: 'Je bent in de wachtrij' }).waitFor();
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('someone worried has their own path and the counsellor sees the chat is about someone else', async () => {
  const visitor = await NewPage(await NewContext(env.browser));
  await visitor.goto(`${env.server.origin}/`);
  await visitor.getByRole('button', { name: 'Ik maak me zorgen om iemand' }).click();
  await visitor.getByRole('heading', { name: 'Je maakt je zorgen om iemand' }).waitFor();
  assert.match(
    await visitor.getByRole('link', { name: 'Doe de check over wat je hebt gezien' }).getAttribute('href'),
    /^\/self-check\?for=other&lang=nl$/,
  );
  await visitor.getByRole('button', { name: 'Chat over iemand die ik ken' }).click();
  assert.equal(await visitor.getByRole('radio', { name: 'Over iemand die ik ken' }).isChecked(), true);
  await visitor.getByRole('textbox', { name: 'Hoe mogen we je noemen? (niet verplicht)' }).fill('Moeder');
  await visitor.getByRole('button', { name: 'Chat starten' }).click();
  await visitor.getByRole('heading', { name: 'Je bent in de wachtrij' }).waitFor();

  const counsellor = await NewPage(await NewContext(env.browser));
  await CounsellorSignsIn(counsellor, env.server.origin, 'femke', kPassword);
  await CounsellorAccepts(counsellor, 'Moeder');
  await counsellor.getByRole('heading', { name: /Moeder.*over iemand anders.*pagina in het Nederlands/ }).waitFor();

  // The self-check for the worried asks about what they noticed.
  const check = await NewPage(await NewContext(env.browser));
  await check.goto(`${env.server.origin}/self-check?for=other`);
  await check.getByRole('heading', { name: 'Check: wordt iemand die ik ken gebruikt?' }).waitFor();
  await check.context().close();
  await counsellor.context().close();
  await visitor.context().close();
});

test('after an end the tab forgets the chat but the last words stay until the page is left', async () => {
  const visitor = await NewPage(await NewContext(env.browser));
  await visitor.goto(`${env.server.origin}/`);
  await visitor.getByRole('button', { name: 'Start een chat' }).click();
  await visitor.getByRole('textbox', { name: 'Hoe mogen we je noemen? (niet verplicht)' }).fill('Sem');
  await visitor.getByRole('button', { name: 'Chat starten' }).click();
  await visitor.getByRole('heading', { name: 'Je bent in de wachtrij' }).waitFor();
  // The organisation chose a neutral tab title: it shows while in a chat.
  assert.equal(await visitor.title(), 'Notities');
  const counsellor = await NewPage(await NewContext(env.browser));
  await CounsellorSignsIn(counsellor, env.server.origin, 'femke', kPassword);
  await CounsellorAccepts(counsellor, 'Sem');
  // A message is changed in place when its ack comes: the log is a live region, and a message
  // made anew would be read out a second time.
  await visitor.evaluate(() => {
    window.remadeMessages = 0;
    new MutationObserver((changes) => {
      for (const change of changes) {
        for (const node of change.removedNodes) {
          if (node.nodeType === Node.ELEMENT_NODE && node.matches('.body, .who')) window.remadeMessages += 1;
        }
      }
    }).observe(document.getElementById('messages'), { childList: true, subtree: true });
  });
  await VisitorSays(visitor, 'Hallo, ik wil iets vragen.');
  await SeesMessage(counsellor, 'Hallo, ik wil iets vragen.');
  await visitor.locator('#messages li.msg.mine').filter({ hasText: 'Hallo, ik wil iets vragen.' })
    .locator('time').waitFor();
  assert.equal(await visitor.locator('#messages').getByText('wordt verzonden…').count(), 0);
  assert.equal(await visitor.evaluate(() => window.remadeMessages), 0, 'no message was made anew');
  await CounsellorSays(counsellor, 'Sem', 'Sterkte, Sem. Kom gerust terug.');
  await SeesMessage(visitor, 'Sterkte, Sem. Kom gerust terug.');

  // Offline as soon as the browser knows it.
  await visitor.context().setOffline(true);
  await visitor.getByText('Geen verbinding. We proberen het opnieuw…').waitFor();
  await visitor.context().setOffline(false);
  await visitor.getByText('Verbonden').waitFor();

  await visitor.getByRole('button', { name: 'Chat beëindigen' }).click();
  await visitor.getByText('Na het einde wissen we dit gesprek uit dit tabblad.', { exact: false }).waitFor();
  await visitor.getByRole('button', { name: 'Ja, beëindigen' }).click();
  await visitor.getByRole('heading', { name: 'Het gesprek is beëindigd' }).waitFor();
  assert.equal(await visitor.getByRole('button', { name: 'Ja, beëindigen' }).isVisible(), false);
  await visitor.getByRole('heading', { name: 'Hoe nu verder?' }).waitFor();
  await SeesMessage(visitor, 'Sterkte, Sem. Kom gerust terug.');
  assert.equal(await KeptInTab(visitor), 0, 'nothing of the chat is kept in the tab');

  // The feedback still goes in with the token kept in memory.
  await visitor.getByRole('radio', { name: 'Ja' }).first().check();
  await visitor.getByRole('button', { name: 'Verstuur je antwoorden' }).click();
  await visitor.getByText('Dank je wel voor je antwoorden.').waitFor();

  await visitor.reload();
  await visitor.getByRole('button', { name: 'Start een chat' }).waitFor();
  assert.equal(await visitor.getByText('Sterkte, Sem.', { exact: false }).count(), 0);
  assert.notEqual(await visitor.title(), 'Notities');
  await counsellor.context().close();
  await visitor.context().close();
});

test('quick exit leaves from the home page, an information page, the self-check and without scripts', async () => {
  for (const [path, control] of [
    ['/', 'button'],
    ['/info/options', 'link'],
    ['/self-check', 'button'],
  ]) {
    const context = await NewContext(env.browser);
    const page = await NewPage(context);
    await page.goto(`${env.server.origin}${path}`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    const left = context.WaitForBlocked(kNeutralSite);
    await page.getByRole(control, { name: 'Verlaat deze pagina' }).click();
    await left;
    assert.deepEqual(context.blocked, [kNeutralSite], path);
    await context.close();
  }
  // An information page without JavaScript: readable, and its exit is a plain link.
  const context = await env.browser.newContext({ javaScriptEnabled: false, locale: 'nl-NL' });
  await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort('blockedbyclient'));
  const page = await context.newPage();
  await page.goto(`${env.server.origin}/info/signals`);
  await page.getByRole('heading', { name: 'Signalen van uitbuiting', level: 1 }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Verlaat deze pagina' }).getAttribute('href'), kNeutralSite);
  await page.getByRole('link', { name: 'Privacy: wat we wel en niet bewaren' }).click();
  await page.getByRole('heading', { name: 'Privacy: wat we wel en niet bewaren', level: 1 }).waitFor();
  await context.close();
});

test('a chat the counsellor ends while the visitor is asked "End?" leaves nothing of that question in the next', async () => {
  const visitor = await NewPage(await NewContext(env.browser));
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Ilse' });
  const counsellor = await NewPage(await NewContext(env.browser));
  await CounsellorSignsIn(counsellor, env.server.origin, 'femke', kPassword);
  await CounsellorAccepts(counsellor, 'Ilse');
  await CounsellorSays(counsellor, 'Ilse', 'Hoi Ilse, hoe gaat het?');
  await SeesMessage(visitor, 'Hoi Ilse, hoe gaat het?');
  // On an Arabic page a Dutch message keeps its punctuation where Dutch puts it.
  await visitor.getByRole('button', { name: 'العربية' }).click();
  await visitor.waitForFunction(() => document.documentElement.dir === 'rtl');
  const body = visitor.locator('#messages .body').filter({ hasText: 'Hoi Ilse, hoe gaat het?' });
  assert.equal(await body.evaluate((p) => getComputedStyle(p).direction), 'ltr');
  await visitor.getByRole('button', { name: 'Nederlands' }).click();
  await visitor.waitForFunction(() => document.documentElement.dir === 'ltr');

  await visitor.getByRole('button', { name: 'Chat beëindigen' }).click();
  await visitor.getByRole('button', { name: 'Ja, beëindigen' }).waitFor();
  await CounsellorEnds(counsellor);
  await visitor.getByRole('heading', { name: 'Het gesprek is beëindigd' }).waitFor();
  await visitor.getByRole('button', { name: 'Start een nieuwe chat' }).click();
  await visitor.getByRole('button', { name: 'Chat starten' }).click();
  await visitor.getByRole('heading', { name: 'Je bent in de wachtrij' }).waitFor();
  assert.equal(await visitor.getByRole('button', { name: 'Ja, beëindigen' }).isVisible(), false,
    'one tap on a question left over would end the new chat');
  assert.deepEqual(visitor.problems, []);
  await counsellor.context().close();
  await visitor.context().close();
});

test('a server that cannot answer now is neither a full queue nor an unknown pick-up code', async () => {
  const page = await NewPage(await NewContext(env.browser));
  const unavailable = (route) => route.fulfill({
    status: 503,
    contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'unavailable', message: 'the database is out of reach' } }),
  });
  await page.route('**/api/v1/visitor/conversations', unavailable);
  await page.route('**/api/v1/visitor/pick-up', unavailable);
  await page.goto(`${env.server.origin}/`);
  await page.getByRole('textbox', { name: 'Je ophaalcode' }).fill('appel boom regen vis');
  await page.getByRole('button', { name: 'Lees het antwoord' }).click();
  await page.getByText('Dat lukte nu niet. Probeer het zo nog eens', { exact: false }).waitFor();
  assert.equal(await page.getByText('Deze code kennen we niet', { exact: false }).count(), 0);

  await page.getByRole('button', { name: 'Start een chat' }).click();
  await page.getByRole('button', { name: 'Chat starten' }).click();
  await page.getByText('Het starten lukte niet. Probeer het zo nog eens.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Bericht achterlaten' }).isVisible(), false,
    'a message left would fail the same way');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

// The chat was stored, but its answer never reached the page (the connection dropped): the
// visitor's second try joins that chat instead of putting a second one in the queue.
test('a start whose answer was lost on the way waits once when the visitor tries again', async () => {
  const page = await NewPage(await NewContext(env.browser));
  const lostStatus = await LoseFirstAnswer(page, '**/api/v1/visitor/conversations');
  await VisitorOpensStartForm(page, env.server.origin);
  await page.getByLabel('Hoe mogen we je noemen? (niet verplicht)').fill('Twee keer');
  await page.getByRole('button', { name: 'Chat starten' }).click();
  await page.getByText('Het starten lukte niet. Probeer het zo nog eens.').waitFor();
  assert.equal(lostStatus(), 201, 'stored before the answer was lost');
  await page.getByRole('button', { name: 'Chat starten' }).click();
  await page.getByRole('heading', { name: 'Je bent in de wachtrij' }).waitFor();
  const counsellor = await NewPage(await NewContext(env.browser));
  await CounsellorSignsIn(counsellor, env.server.origin, 'femke', kPassword);
  const take = counsellor.getByRole('button', { name: 'Gesprek met Twee keer aannemen' });
  await take.first().waitFor();
  assert.equal(await take.count(), 1, 'one chat in the queue');
  await CounsellorAccepts(counsellor, 'Twee keer');
  await CounsellorSays(counsellor, 'Twee keer', 'Hoi, ik ben Femke.');
  await SeesMessage(page, 'Hoi, ik ben Femke.');
  // Femke's place is free again for the tests after this one.
  await CounsellorEnds(counsellor);
  for (const each of [page, counsellor]) {
    assert.deepEqual(each.problems, []);
    await each.context().close();
  }
});

test('the first page follows the browser language, the choice holds, Arabic reads right to left', async () => {
  const context = await NewContext(env.browser, { locale: 'en-GB' });
  const page = await NewPage(context);
  await page.goto(`${env.server.origin}/`);
  await page.getByRole('button', { name: 'Start a chat' }).waitFor();
  await page.getByRole('link', { name: 'What is criminal exploitation?' }).click();
  await page.getByRole('heading', { name: 'What is criminal exploitation?', level: 1 }).waitFor();
  await page.getByRole('link', { name: 'العربية' }).click();
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar');
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('main')).direction), 'rtl');
  // Links in the text keep the reader in Arabic.
  assert.match(await page.locator('main a[href^="/info/"]').first().getAttribute('href'), /lang=ar$/);
  await page.getByRole('link', { name: 'Nederlands' }).click();
  await page.waitForFunction(() => sessionStorage.getItem('uitweg.lang') === 'nl');
  // Back home: the choice made on the way holds for the visit.
  await page.goto(`${env.server.origin}/`);
  await page.getByRole('button', { name: 'Start een chat' }).waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('button', { name: 'Start a chat' }).waitFor();
  // The buttons are made anew in the language chosen: the keyboard stays on the one pressed.
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'English');
  // Arabic on the page that scripts build: its strings load when chosen, and the page turns.
  await page.getByRole('button', { name: 'العربية' }).click();
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  assert.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'false');
  // The notice of a closed chat is marked on the side its lines begin.
  assert.deepEqual(
    await page.evaluate(() => {
      const style = getComputedStyle(document.getElementById('closed'));
      return [style.borderRightWidth, style.borderLeftWidth];
    }),
    ['4px', '0px'],
  );
  // Codes are Latin letters and dashes: they read left to right, in Arabic too.
  assert.deepEqual(
    await page.evaluate(() => ['pickup-code', 'left-code'].map((id) => getComputedStyle(document.getElementById(id)).direction)),
    ['ltr', 'ltr'],
  );
  // The keyboard's focus shows a dark ring beside the yellow one, on light backgrounds too.
  await page.keyboard.press('Tab');
  assert.match(await page.evaluate(() => getComputedStyle(document.activeElement).boxShadow), /rgb\(27, 27, 27\)/);
  // A heading the page moves the focus to (after a key, too) is no control: no ring at all.
  assert.equal(
    await page.evaluate(() => {
      const heading = document.querySelector('h1');
      heading.tabIndex = -1;
      heading.focus();
      return getComputedStyle(heading).boxShadow;
    }),
    'none',
  );
  await page.reload();
  await page.waitForFunction(() => document.documentElement.lang === 'ar');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a campaign link is counted and leaves no code in the address bar', async () => {
  // The counters themselves are checked through the API (tests/integration/front_door_test.cpp);
  // here the page's side: it reports the visit and carries the code into the chat.
  const page = await NewPage(await NewContext(env.browser));
  const counted = page.waitForRequest((r) => r.url().endsWith('/api/v1/visitor/events'));
  await page.goto(`${env.server.origin}/?c=poster-2026`);
  const event = await counted;
  assert.deepEqual(JSON.parse(event.postData()), { event: 'visit', campaign: 'poster-2026' });
  assert.equal(new URL(page.url()).search, '');
  await page.getByRole('button', { name: 'Start een chat' }).click();
  const started = page.waitForRequest((r) => r.url().endsWith('/api/v1/visitor/conversations'));
  await page.getByRole('button', { name: 'Chat starten' }).click();
  assert.equal(JSON.parse((await started).postData()).campaign, 'poster-2026');
  await page.context().close();
});

test('axe-core finds nothing on any visitor page at 360 and 1280 pixels', async () => {
  const context = await NewContext(env.browser, { bypassCSP: true });
  const page = await NewPage(context);
  const pages = [
    ['/', 'home'],
    ['/self-check', 'self-check'],
    ['/self-check?for=other', 'self-check-other'],
    ...['exploitation', 'signals', 'options', 'worried', 'safety', 'privacy'].map((slug) => [
      `/info/${slug}`,
      `info-${slug}`,
    ]),
    ['/info/safety?lang=ar', 'info-safety-ar'],
    ['/?lang=ar', 'home-ar'],
    ['/info/privacy?lang=en', 'info-privacy-en'],
  ];
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 900 });
    for (const [path, name] of pages) {
      await page.goto(`${env.server.origin}${path}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      if (path.startsWith('/self-check')) await page.locator('#question-form').waitFor();
      assert.deepEqual(await AxeViolations(page), [], `axe at ${width} px on ${path}`);
      if (width === 360) await Screenshot(page, `visitor-${name}-360`);
    }
  }
  await page.goto(`${env.server.origin}/?lang=nl`);
  await page.getByRole('button', { name: 'Ik maak me zorgen om iemand' }).click();
  await page.getByRole('heading', { name: 'Je maakt je zorgen om iemand' }).waitFor();
  assert.deepEqual(await AxeViolations(page), [], 'axe on the worried path');
  await Screenshot(page, 'visitor-worried-360');
  await context.close();
});

test('at 360 by 740 with the keyboard up, the message box and send button stay in view', async () => {
  const visitor = await NewPage(await NewContext(env.browser));
  await visitor.setViewportSize({ width: 360, height: 740 });
  await visitor.goto(`${env.server.origin}/?lang=nl`);
  await visitor.getByRole('button', { name: 'Start een chat' }).click();
  await visitor.getByRole('textbox', { name: 'Hoe mogen we je noemen? (niet verplicht)' }).fill('Lange');
  await visitor.getByRole('button', { name: 'Chat starten' }).click();
  await visitor.getByRole('heading', { name: 'Je bent in de wachtrij' }).waitFor();
  const counsellor = await NewPage(await NewContext(env.browser));
  await CounsellorSignsIn(counsellor, env.server.origin, 'femke', kPassword);
  await CounsellorAccepts(counsellor, 'Lange');
  for (let i = 0; i < 15; i += 1) {
    await CounsellorSays(counsellor, 'Lange', `Bericht ${i}: ${'een lange zin die doorloopt '.repeat(6)}`);
  }
  await SeesMessage(visitor, `Bericht 14: ${'een lange zin die doorloopt '.repeat(6)}`.trim());
  // The on-screen keyboard takes about 300 pixels.
  await visitor.setViewportSize({ width: 360, height: 440 });
  const box = visitor.getByRole('textbox', { name: 'Je bericht' });
  // As a phone does when the keyboard comes up: the focused box is scrolled into view.
  await box.focus();
  await box.evaluate((el) => el.scrollIntoView({ block: 'nearest' }));
  const send = visitor.getByRole('button', { name: 'Verstuur' });
  for (const element of [box, send]) {
    const rect = await element.evaluate((el) => el.getBoundingClientRect().toJSON());
    assert.ok(rect.top >= 0 && rect.bottom <= 440, `in view: ${JSON.stringify(rect)}`);
  }
  await Screenshot(visitor, 'visitor-chat-keyboard-360');
  await counsellor.context().close();
  await visitor.context().close();
});

test('quick exit in a chat: the counsellor is told that the visitor left', async () => {
  const visitor = await NewPage(await NewContext(env.browser));
  await visitor.goto(`${env.server.origin}/?lang=nl`);
  await visitor.getByRole('button', { name: 'Start een chat' }).click();
  await visitor.getByRole('textbox', { name: 'Hoe mogen we je noemen? (niet verplicht)' }).fill('Weg');
  await visitor.getByRole('button', { name: 'Chat starten' }).click();
  await visitor.getByRole('heading', { name: 'Je bent in de wachtrij' }).waitFor();
  const counsellor = await NewPage(await NewContext(env.browser));
  await CounsellorSignsIn(counsellor, env.server.origin, 'femke', kPassword);
  await CounsellorAccepts(counsellor, 'Weg');
  await CounsellorSays(counsellor, 'Weg', 'Hoi Weg.');
  await SeesMessage(visitor, 'Hoi Weg.');
  const left = visitor.context().WaitForBlocked(kNeutralSite);
  await visitor.getByRole('button', { name: 'Verlaat deze pagina' }).click();
  await left;
  await counsellor.getByText('Weg heeft de pagina verlaten om', { exact: false }).waitFor();
  await counsellor.context().close();
  await visitor.context().close();
});

test('text at 200 % needs no sideways scrolling, and the self-check works by keyboard alone', async () => {
  const page = await NewPage(await NewContext(env.browser));
  await page.setViewportSize({ width: 1280, height: 900 });
  for (const path of ['/?lang=nl', '/info/options', '/self-check']) {
    await page.goto(`${env.server.origin}${path}`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.evaluate(() => {
      document.documentElement.style.fontSize = '200%';
    });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow} px at 200 %`);
  }

  await page.goto(`${env.server.origin}/self-check`);
  await page.locator('#question-form').waitFor();
  let answered = 0;
  while (!(await page.locator('#result').isVisible())) {
    // From the question, Tab reaches the first answer; arrows move among them; Enter goes on.
    await page.locator('#question-text').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    answered += 1;
    assert.ok(answered <= 15, 'the check ends');
  }
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'result-heading');
  await page.context().close();
});

// The visitor switches to Arabic while the Dutch questions are still on their way: the Dutch ones,
// coming last, do not take the page back. The way to the chat keeps the language chosen.
test('a self-check switched to another language stays in it when the first answer comes late', async () => {
  const page = await NewPage(await NewContext(env.browser));
  let heldDutch = null;
  const dutchAsked = new Promise((resolve) => {
    page.route('**/api/v1/visitor/self-check?*', (route) => {
      if (new URL(route.request().url()).searchParams.get('lang') !== 'nl') return route.continue();
      heldDutch = route;
      resolve();
    });
  });
  await page.goto(`${env.server.origin}/self-check?lang=nl`);
  await dutchAsked;
  await page.getByRole('button', { name: 'العربية' }).click();
  await page.getByRole('heading', { name: 'اختبار: هل يستغلّني أحد؟' }).waitFor();
  // Its body whole, the page's next tasks handle it.
  const late = page.waitForEvent('requestfinished', (request) => request.url().includes('lang=nl'));
  await heldDutch.continue();
  await late;
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  assert.equal(await page.getByRole('heading', { name: 'اختبار: هل يستغلّني أحد؟' }).count(), 1);
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.match(await page.locator('#to-chat').getAttribute('href'), /lang=ar/);
  await page.context().close();
});

test('a chat reloaded while the server has not yet said how the tab must look keeps it neutral', async () => {
  const visitor = await NewPage(await NewContext(env.browser));
  await VisitorStartsChat(visitor, env.server.origin, { nickname: 'Tim' });
  await visitor.waitForFunction(() => document.title === 'Notities');
  const held = [];
  let asked;
  const statusAsked = new Promise((resolve) => { asked = resolve; });
  await visitor.route('**/api/v1/visitor/status', (route) => {
    held.push(route);
    asked();
  });
  await visitor.reload();
  await visitor.getByLabel('Je bericht').waitFor();
  await statusAsked;  // and not answered
  assert.equal(await visitor.title(), 'Notities');
  assert.match(await visitor.locator('link[rel="icon"]').getAttribute('href'), /neutral\.svg$/);
  for (const route of held) await route.continue();
  await visitor.unroute('**/api/v1/visitor/status');
  await visitor.waitForFunction(() => document.title === 'Notities');
  await visitor.context().close();
});
