// Quick exit: the button and Shift pressed three times both forget the tab's chat and leave
// for the neutral site. The neutral site is never fetched: the context aborts every request
// to a host other than 127.0.0.1 and records it, which proves the navigation was attempted.
// A tab left and opened again minutes later (a closed tab reopened gets its sessionStorage
// back) does not bring the chat back; a reload, or a return from our own pages, does.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NewContext, NewPage } from './support/browser.mjs';
import { KeptInTab, SeesMessage, VisitorSays, VisitorStartsChat } from './support/flows.mjs';
import { ServerAndBrowser } from './support/fixture.mjs';

const kNeutralSite = 'https://www.google.nl/';
const env = ServerAndBrowser('exit');

// Performs `leave` on a page with a chat in progress and checks what is left afterwards.
async function ExpectQuickExit(leave) {
  const context = await NewContext(env.browser);
  const page = await NewPage(context);
  await VisitorStartsChat(page, env.server.origin, { nickname: 'Kim' });
  assert.ok((await KeptInTab(page)) > 0, 'the chat keeps its resume token');

  const navigation = context.WaitForBlocked(kNeutralSite);
  const left = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  await leave(page);
  await navigation;
  await left;
  assert.deepEqual(context.blocked, [kNeutralSite]);

  // Back on our site in the same tab: nothing of the chat is left, so it does not resume.
  await page.goto(`${env.server.origin}/`);
  assert.equal(await KeptInTab(page), 0);
  await page.getByRole('button', { name: 'Start een chat' }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Je bent in de wachtrij' }).count(), 0);
  assert.deepEqual(page.problems, []);
  await context.close();
}

test('the exit button clears the session and leaves for the neutral site', async () => {
  await ExpectQuickExit((page) => page.getByRole('button', { name: 'Verlaat deze pagina' }).click());
});

test('pressing Shift three times clears the session and leaves, even while typing', async () => {
  await ExpectQuickExit(async (page) => {
    await page.getByLabel('Je bericht').fill('ik ben bang');
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('Shift');
  });
});

test('the safety page has the exit link and explains what it does not hide', async () => {
  const context = await NewContext(env.browser);
  const page = await NewPage(context);
  await page.goto(`${env.server.origin}/info/safety`);
  await page.getByRole('heading', { name: 'Veilig gebruik en snel weggaan', level: 1 }).waitFor();
  const navigation = context.WaitForBlocked(kNeutralSite);
  await page.getByRole('link', { name: 'Verlaat deze pagina' }).click();
  await navigation;
  assert.deepEqual(context.blocked, [kNeutralSite]);
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('quick exit blanks the page before the browser has left it', async () => {
  const context = await NewContext(env.browser);
  const page = await NewPage(context);
  await page.goto(`${env.server.origin}/`);
  const button = page.getByRole('button', { name: 'Verlaat deze pagina' });
  const left = context.WaitForBlocked(kNeutralSite);
  // Within one task: the click handler runs, then the page is inspected before any navigation.
  const after = await button.evaluate((element) => {
    element.click();
    return { children: document.body.childElementCount, title: document.title };
  });
  assert.deepEqual(after, { children: 0, title: '' });
  await left;
  await context.close();
});

// A new tab whose visitor started a chat and sent `text`, stored.
async function ChatWithOneMessage(nickname, text) {
  const context = await NewContext(env.browser);
  const page = await NewPage(context);
  await VisitorStartsChat(page, env.server.origin, { nickname });
  await VisitorSays(page, text);
  await page.getByText('wordt verzonden…').waitFor({ state: 'detached' });
  return { context, page };
}

// Runs `events` in the page, waits for the reload they cause, and checks that the chat that
// showed `text` is gone and the tab keeps nothing of it.
async function ExpectReloadForgets(page, text, events) {
  await Promise.all([page.waitForEvent('load'), page.evaluate(events)]);
  await page.getByRole('button', { name: 'Start een chat' }).waitFor();
  assert.equal(await page.getByText(text).count(), 0);
  assert.equal(await KeptInTab(page), 0);
  assert.deepEqual(page.problems, []);
}

// Reopening a closed tab cannot be driven from here, so the test leaves the chat for an
// information page (still the same visit), then writes the mark that closing the tab there
// would have left, as if that had been three minutes ago, and comes back.
test('a tab left more than two minutes ago does not bring the chat back', async () => {
  const { context, page } = await ChatWithOneMessage('Sem', 'Niemand mag dit lezen.');
  await page.reload();
  await SeesMessage(page, 'Niemand mag dit lezen.');

  const readSafetyPage = async () => {
    await page.goto(`${env.server.origin}/info/safety?lang=nl`);
    await page.getByRole('heading', { name: 'Veilig gebruik en snel weggaan' }).waitFor();
    await page.waitForFunction(() => sessionStorage.getItem('uitweg.left_at') === null);
  };
  await readSafetyPage();
  await page.goto(`${env.server.origin}/`);
  await SeesMessage(page, 'Niemand mag dit lezen.');

  await readSafetyPage();
  await page.evaluate(() => sessionStorage.setItem('uitweg.left_at', String(Date.now() - 3 * 60 * 1000)));
  await page.goto(`${env.server.origin}/`);
  await page.getByRole('button', { name: 'Start een chat' }).waitFor();
  assert.equal(await page.getByText('Niemand mag dit lezen.').count(), 0);
  const kept = await page.evaluate(() => Object.keys(sessionStorage).sort());
  assert.deepEqual(kept, ['uitweg.lang', 'uitweg.visited'], 'only the language and the visit count');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('our own links replace the page in the tab history, so that Back after a quick exit leads to none', async () => {
  const context = await NewContext(env.browser);
  const page = await NewPage(context);
  await page.goto(`${env.server.origin}/`);
  await page.getByRole('button', { name: 'Start een chat' }).waitFor();
  const entries = await page.evaluate(() => history.length);
  await page.getByRole('contentinfo').getByRole('link', { name: 'Veilig gebruik en snel weggaan' }).click();
  await page.getByRole('heading', { name: 'Veilig gebruik en snel weggaan', level: 1 }).waitFor();
  assert.equal(await page.evaluate(() => history.length), entries, 'the information page took the place of the home page');
  // Its script has run once the document is loaded (a module runs before DOMContentLoaded).
  await page.waitForLoadState('domcontentloaded');
  await page.getByRole('link', { name: 'Terug naar Uitweg' }).click();
  await page.getByRole('button', { name: 'Start een chat' }).waitFor();
  assert.equal(await page.evaluate(() => history.length), entries);
  assert.deepEqual(page.problems, []);
  await context.close();
});

// Chromium keeps no page sent with `no-store` for Back, so the browser's own events are played
// here: what a browser that does keep it (and restores it after a quick exit on another of our
// pages) would fire.
test('a page kept for Back is blanked as it is left and loads afresh, forgetting what the tab forgot', async () => {
  const { context, page } = await ChatWithOneMessage('Noor', 'Dit mag niemand terugzien.');

  const left = await page.evaluate(() => {
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    return { children: document.body.childElementCount, title: document.title };
  });
  assert.deepEqual(left, { children: 0, title: '' });
  // Shown again while the tab still keeps the chat: it loads afresh and resumes.
  await Promise.all([
    page.waitForEvent('load'),
    page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))),
  ]);
  await SeesMessage(page, 'Dit mag niemand terugzien.');

  // Shown again after a quick exit elsewhere in the tab emptied what it kept: nothing comes back.
  await page.evaluate(() => sessionStorage.clear());
  await ExpectReloadForgets(page, 'Dit mag niemand terugzien.', () =>
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })),
  );
  await context.close();
});

test('a page kept for Back and shown long after it was left forgets the chat before it reloads', async () => {
  const { context, page } = await ChatWithOneMessage('Iris', 'Lang geleden geschreven.');
  await ExpectReloadForgets(page, 'Lang geleden geschreven.', () => {
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    sessionStorage.setItem('uitweg.left_at', String(Date.now() - 10 * 60 * 1000));
    // What a browser fires as it shows the restored page and then leaves it for the reload.
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    document.dispatchEvent(new Event('visibilitychange'));
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
  });
  await context.close();
});

test('the pick-up form sends nothing before the scripts run', async () => {
  const context = await NewContext(env.browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${env.server.origin}/`);
  // A disabled default button stops Enter's implicit submission: no code goes into an address.
  assert.equal(await page.locator('#pickup-submit').isDisabled(), true);
  await context.close();
});

// On a slow line the strings of another language take long to come; quick exit does not wait
// for them: the button (in Dutch meanwhile) and Shift work from the start, on the home page and
// on the self-check.
for (const [name, at] of [['home page', '/?lang=ar'], ['self-check', '/self-check?lang=ar']]) {
  test(`quick exit works on the ${name} while the Arabic strings are still loading`, async () => {
    const context = await NewContext(env.browser);
    const page = await NewPage(context);
    let held = null;
    const asked = new Promise((resolve) => {
      page.route('**/strings-ar.js', (route) => {
        held = route;
        resolve();
      });
    });
    await page.goto(`${env.server.origin}${at}`, { waitUntil: 'domcontentloaded' });
    await asked;
    const navigation = context.WaitForBlocked(kNeutralSite);
    await page.getByRole('button', { name: 'Verlaat deze pagina' }).click();
    await navigation;
    assert.deepEqual(context.blocked, [kNeutralSite]);
    await held.abort().catch(() => {});
    await context.close();
  });
}

// Once they come, the exit is labelled in the visit's language, also on a page that opens in a
// language kept from an earlier page (no switch happens there).
test('the exit button is labelled in the language kept for the visit', async () => {
  const context = await NewContext(env.browser);
  const page = await NewPage(context);
  await page.goto(`${env.server.origin}/?lang=ar`);
  await page.getByRole('button', { name: 'غادر هذه الصفحة' }).waitFor();
  await page.goto(`${env.server.origin}/self-check`);
  await page.locator('#question-form').waitFor();
  await page.getByRole('button', { name: 'غادر هذه الصفحة' }).waitFor();
  await context.close();
});
