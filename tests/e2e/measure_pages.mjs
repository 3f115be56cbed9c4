// Figures for the web client against the real binary (not a test; run by hand):
//   node tests/e2e/measure_pages.mjs            (UITWEG_BIN as for the tests)
// 1. The visitor start page as a cheap phone on a slow connection sees it: Chromium's CPU
//    slowed 4x and the network emulated at 400 ms round trip, 50 KB/s down, 20 KB/s up, cold
//    cache. Prints requests, bytes and the time until "Start een chat" can be pressed.
// 2. Message latency through the server between two browser contexts: the time from pressing
//    "Verstuur" on one side until the text shows on the other, both directions.
// Prints one JSON object, then a table.

import { LaunchBrowser, NewContext, NewPage } from './support/browser.mjs';
import {
  CounsellorAccepts,
  CounsellorSignsIn,
  SeesMessage,
  VisitorStartsChat,
} from './support/flows.mjs';
import { AddStaff, RemoveDir, TempDir, UitwegServer } from './support/server.mjs';

const kLoads = 5;
const kMessages = 20;

function Percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function SlowPhoneLoad(browser, origin) {
  const context = await NewContext(browser);
  const page = await NewPage(context);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 400,
    downloadThroughput: 50 * 1024,
    uploadThroughput: 20 * 1024,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.loadingFinished', (event) => {
    bytes += event.encodedDataLength;
    requests += 1;
  });
  const started = Date.now();
  await page.goto(`${origin}/`, { waitUntil: 'commit' });
  await page.getByRole('button', { name: 'Start een chat' }).waitFor();
  const readyMs = Date.now() - started;
  await page.waitForLoadState('load');
  await context.close();
  return { readyMs, bytes, requests };
}

async function MessageLatencies(browser, origin, dataDir) {
  const password = 'lang-genoeg-wachtwoord';
  await AddStaff(dataDir, 'meter', password);
  const visitor = await NewPage(await NewContext(browser));
  const counsellor = await NewPage(await NewContext(browser));
  await VisitorStartsChat(visitor, origin, { nickname: 'Meet' });
  await CounsellorSignsIn(counsellor, origin, 'meter', password);
  await CounsellorAccepts(counsellor, 'Meet');
  const toCounsellor = [];
  const toVisitor = [];
  for (let i = 0; i < kMessages; i += 1) {
    await visitor.getByLabel('Je bericht').fill(`v${i}`);
    let started = Date.now();
    await visitor.getByRole('button', { name: 'Verstuur' }).click();
    await SeesMessage(counsellor, `v${i}`);
    toCounsellor.push(Date.now() - started);
    await counsellor.getByLabel('Bericht aan Meet').fill(`c${i}`);
    started = Date.now();
    await counsellor.getByRole('button', { name: 'Verstuur' }).click();
    await SeesMessage(visitor, `c${i}`);
    toVisitor.push(Date.now() - started);
  }
  return { toCounsellor, toVisitor };
}

async function Main() {
  const dataDir = await TempDir('measure');
  const server = await new UitwegServer(dataDir).Start();
  const browser = await LaunchBrowser();
  try {
    const loads = [];
    for (let i = 0; i < kLoads; i += 1) loads.push(await SlowPhoneLoad(browser, server.origin));
    const { toCounsellor, toVisitor } = await MessageLatencies(browser, server.origin, dataDir);
    const figures = {
      visitor_page: {
        runs: kLoads,
        requests: loads[0].requests,
        bytes: loads[0].bytes,
        ready_ms_median: Percentile(loads.map((l) => l.readyMs), 50),
        ready_ms_max: Math.max(...loads.map((l) => l.readyMs)),
      },
      message_latency_ms: {
        messages: kMessages,
        visitor_to_counsellor_p50: Percentile(toCounsellor, 50),
        visitor_to_counsellor_p95: Percentile(toCounsellor, 95),
        counsellor_to_visitor_p50: Percentile(toVisitor, 50),
        counsellor_to_visitor_p95: Percentile(toVisitor, 95),
      },
    };
    console.log(JSON.stringify(figures));
    console.table({ ...figures.visitor_page, ...figures.message_latency_ms });
  } finally {
    await browser.close();
    await server.Stop();
    await RemoveDir(dataDir);
  }
}

await Main();
