// What the visitor's pages cost on the wire, against the budget of 40 KB for the home page with
// its CSS and scripts: every request and its transferred bytes (headers and gzipped bodies, as
// Chromium counts them), cold (empty cache) and warm (the same tab loading the page again).
// Prints one JSON line per page and load, then a table; it never fails on a figure.
//   node bench/pages/page_weight.mjs        (UITWEG_BIN as for the browser tests)

import { LaunchBrowser } from '../../tests/e2e/support/browser.mjs';
import { RemoveDir, TempDir, UitwegServer } from '../../tests/e2e/support/server.mjs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

const kBudgetBytes = 40 * 1024;
const kRuns = 5;
const kPages = [
  ['/', 'home'],
  ['/self-check', 'self-check'],
  ['/info/exploitation', 'information page'],
];

function Median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// Loads `path` in `page` and sums what crossed the network until the page settled.
async function Load(page, cdp, origin, pagePath) {
  let bytes = 0;
  let requests = 0;
  let fromCache = 0;
  const finished = (event) => {
    bytes += event.encodedDataLength;
    requests += 1;
    if (process.env.PAGE_WEIGHT_DETAIL) console.error(event.requestId, event.encodedDataLength);
  };
  const cached = () => {
    fromCache += 1;
  };
  cdp.on('Network.loadingFinished', finished);
  cdp.on('Network.requestServedFromCache', cached);
  await page.goto(`${origin}${pagePath}`, { waitUntil: 'networkidle' });
  cdp.off('Network.loadingFinished', finished);
  cdp.off('Network.requestServedFromCache', cached);
  return { bytes, requests, fromCache };
}

async function Main() {
  const dataDir = await TempDir('page-weight');
  const config = path.join(dataDir, 'uitweg.toml');
  await writeFile(config, 'opening_hours = "always"\n');
  const server = await new UitwegServer(dataDir, config).Start();
  const browser = await LaunchBrowser();
  const results = [];
  try {
    for (const [pagePath, name] of kPages) {
      const cold = [];
      const warm = [];
      for (let run = 0; run < kRuns; run += 1) {
        // No request routing here: Playwright turns the HTTP cache off for a context that routes.
        const context = await browser.newContext({ locale: 'nl-NL' });
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        cold.push(await Load(page, cdp, server.origin, pagePath));
        warm.push(await Load(page, cdp, server.origin, pagePath));
        await context.close();
      }
      for (const [load, runs] of [['cold', cold], ['warm', warm]]) {
        const line = {
          page: name,
          path: pagePath,
          load,
          bytes: Median(runs.map((r) => r.bytes)),
          requests: Median(runs.map((r) => r.requests)),
          from_cache: Median(runs.map((r) => r.fromCache)),
          runs: kRuns,
        };
        results.push(line);
        console.log(JSON.stringify(line));
      }
    }
  } finally {
    await browser.close();
    await server.Stop();
    await RemoveDir(dataDir);
  }
  console.log('\npage               load  requests  from cache  transferred');
  for (const r of results) {
    const verdict =
      r.path === '/' && r.load === 'cold' ? (r.bytes <= kBudgetBytes ? '  within 40 KB' : '  OVER 40 KB') : '';
    console.log(
      `${r.page.padEnd(18)} ${r.load.padEnd(5)} ${String(r.requests).padStart(8)} ${String(r.from_cache).padStart(11)}` +
        `  ${(r.bytes / 1024).toFixed(1).padStart(8)} KB${verdict}`,
    );
  }
}

await Main();
