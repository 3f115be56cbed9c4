// Debian's Chromium through playwright-core, headless, for the browser tests.
// Playwright's launch() gives the browser a fresh profile (its --user-data-dir) in a new temp
// folder and removes it on close. Every context blocks requests to any host but 127.0.0.1 and
// records them, so a test can assert that the quick-exit navigation was attempted without
// ever fetching the neutral site. Each page records CSP violations and uncaught errors.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { kRepo } from './server.mjs';

const kArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const kTimeoutMs = 15000;

export function LaunchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: kArgs,
  });
}

function IsLocal(url) {
  return url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1';
}

// bypassCSP only for the accessibility checks: axe-core is injected as an inline script.
// ignoreHTTPSErrors for a server with a certificate made for the test run. timezoneId: the
// browser's own zone (the machine's when not given).
export async function NewContext(
  browser,
  {
    bypassCSP = false,
    ignoreHTTPSErrors = false,
    locale = 'nl-NL',
    timezoneId = undefined,
    javaScriptEnabled = true,
  } = {},
) {
  const context = await browser.newContext({
    bypassCSP,
    ignoreHTTPSErrors,
    javaScriptEnabled,
    locale,
    timezoneId,
    serviceWorkers: 'block',
  });
  context.setDefaultTimeout(kTimeoutMs);
  context.blocked = [];
  const waiters = [];
  // Resolves once a request to `url` was attempted (and blocked).
  context.WaitForBlocked = (url) =>
    new Promise((resolve) => {
      if (context.blocked.includes(url)) resolve();
      else waiters.push({ url, resolve });
    });
  await context.route(
    (url) => !IsLocal(url),
    async (route) => {
      const url = route.request().url();
      await route.abort('blockedbyclient');
      context.blocked.push(url);
      for (const waiter of waiters.filter((w) => w.url === url)) waiter.resolve();
    },
  );
  return context;
}

// Counts the writes to the element `id` that left its words as they were (a live region written
// again with the same words is read out again); answers a function that reads the count.
export async function CountRewrites(page, id) {
  await page.evaluate((watched) => {
    const element = document.getElementById(watched);
    let shown = element.textContent;
    window.rewrites ??= {};
    window.rewrites[watched] = 0;
    new MutationObserver(() => {
      if (element.textContent === shown) window.rewrites[watched] += 1;
      shown = element.textContent;
    }).observe(element, { childList: true, characterData: true, subtree: true });
  }, id);
  return () => page.evaluate((watched) => window.rewrites[watched], id);
}

// A new page whose `problems` lists CSP violations and uncaught script errors.
export async function NewPage(context) {
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      page.problems.push(message.text());
    }
  });
  page.on('pageerror', (error) => page.problems.push(`uncaught: ${error.message}`));
  return page;
}

// Lets the first request to `url` reach the server and then drops its answer, as a connection
// lost on the way would; later ones pass. Returns a function that tells the dropped answer's
// HTTP status (null before it came).
export async function LoseFirstAnswer(page, url) {
  let status = null;
  await page.route(url, async (route) => {
    if (status !== null) return route.continue();
    status = 0;
    try {
      status = (await route.fetch()).status();
    } finally {
      await route.abort('connectionreset');
    }
  });
  return () => status;
}

const kAxe = readFileSync(path.join(kRepo, 'node_modules/axe-core/axe.min.js'), 'utf8');

// Runs axe-core on the page as it is and returns its violations, shortened for messages.
export async function AxeViolations(page) {
  await page.addScriptTag({ content: kAxe });
  const result = await page.evaluate(() => window.axe.run(document));
  return result.violations.map((v) => ({
    id: v.id,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')),
  }));
}

// Saves a screenshot of the page as build/screenshots/NAME.png (for reports on what a screen
// looks like); returns the path relative to the repository.
export async function Screenshot(page, name) {
  const relative = path.join('build', 'screenshots', `${name}.png`);
  await page.screenshot({ path: path.join(kRepo, relative), fullPage: true });
  return relative;
}

// Makes the page's notifications and tones observable, and lets a test say whether the page is
// in view: window.__shown lists the desktop notifications made, window.__tones counts the tones
// started, window.__hidden (settable) is what document.visibilityState reports.
export async function ObserveAlerts(context) {
  await context.addInitScript(() => {
    window.__shown = [];
    window.__tones = 0;
    window.__hidden = false;
    Object.defineProperty(Document.prototype, 'visibilityState', {
      configurable: true,
      get: () => (window.__hidden ? 'hidden' : 'visible'),
    });
    const Real = window.Notification;
    if (Real) {
      window.Notification = class extends Real {
        constructor(title, options) {
          super(title, options);
          window.__shown.push({ title, body: options?.body ?? '' });
        }
      };
    }
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (...args) {
      window.__tones += 1;
      return start.apply(this, args);
    };
  });
}
