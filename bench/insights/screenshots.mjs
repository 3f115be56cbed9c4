// Screenshots of the insights dashboard and of a partner's report over the benchmark's year of a
// busy national service (uitweg-insights-bench: 250,000 conversations in 2024), to see what they
// look like at that scale. Fills a database with the benchmark (--keep), serves it with the real
// binary, and signs in with the real console in Debian's Chromium:
//
//   node bench/insights/screenshots.mjs [--conversations N]
//
// Writes build/screenshots/bench-insights.png (an analyst's dashboard for 2024) and
// build/screenshots/bench-insights-report.png (the printable report of the partner "Gemeente
// Rotterdam", its three municipalities, for 2024) and prints how long each took to show.
// Needs a build (build/uitweg, build/bench/insights/uitweg-insights-bench). Never a test.

import { spawnSync } from 'node:child_process';
import { copyFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LaunchBrowser, NewContext, NewPage, Screenshot } from '../../tests/e2e/support/browser.mjs';
import { CounsellorSignsIn } from '../../tests/e2e/support/flows.mjs';
import { AddStaff, kRepo, RemoveDir, TempDir, UitwegServer } from '../../tests/e2e/support/server.mjs';

const kPassword = 'lang-genoeg-wachtwoord';
const kBench = path.join(kRepo, 'build/bench/insights/uitweg-insights-bench');
const conversations = process.argv[2] === '--conversations' ? process.argv[3] : '250000';

async function FindFile(dir, name) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const found = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const inside = await FindFile(found, name);
      if (inside) return inside;
    } else if (entry.name === name) {
      return found;
    }
  }
  return null;
}

const benchDir = await TempDir('bench-insights');
const dataDir = await TempDir('bench-insights-data');
let server = null;
let browser = null;
try {
  const filled = spawnSync(kBench, ['--conversations', conversations, '--runs', '1', '--dir', benchDir, '--keep'], {
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (filled.status !== 0) throw new Error(`uitweg-insights-bench exited with ${filled.status}`);
  const database = await FindFile(benchDir, 'bench.db');
  if (!database) throw new Error('the benchmark left no bench.db');
  await copyFile(database, path.join(dataDir, 'uitweg.db'));
  const config = path.join(dataDir, 'uitweg.toml');
  await writeFile(config, 'opening_hours = "always"\n');
  server = await new UitwegServer(dataDir, config).Start();
  await AddStaff(dataDir, 'bram', kPassword, 'admin');
  await AddStaff(dataDir, 'anouk', kPassword, 'analyst');
  browser = await LaunchBrowser();

  const admin = await NewPage(await NewContext(browser));
  await CounsellorSignsIn(admin, server.origin, 'bram', kPassword);
  const saved = await admin.evaluate(async () => {
    const me = await (await fetch('/api/v1/staff/me')).json();
    const response = await fetch('/api/v1/insights/partners', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
      body: JSON.stringify({
        partners: [{
          name: 'rotterdam', label: 'Gemeente Rotterdam', regions: ['Rotterdam', 'Schiedam', 'Vlaardingen'],
          funnel: true, registrations: true, trends: true, methodology: false,
        }],
      }),
    });
    return response.status;
  });
  if (saved !== 200) throw new Error(`saving the partner answered ${saved}`);

  const analyst = await NewPage(await NewContext(browser));
  await analyst.setViewportSize({ width: 1280, height: 900 });
  await CounsellorSignsIn(analyst, server.origin, 'anouk', kPassword);
  await analyst.getByRole('button', { name: 'Inzichten', exact: true }).click();
  await analyst.locator('#insights-from').fill('2024-01-01');
  await analyst.locator('#insights-to').fill('2024-12-31');
  const asked = performance.now();
  await analyst.getByRole('button', { name: 'Toon', exact: true }).click();
  await analyst.getByRole('status').filter({ hasText: /Inzichten van .*2024/ }).waitFor({ timeout: 60000 });
  const shown = performance.now() - asked;
  console.log(`dashboard for 2024 shown in ${shown.toFixed(0)} ms: ${await Screenshot(analyst, 'bench-insights')}`);

  const report = await NewPage(analyst.context());
  const started = performance.now();
  await report.goto(`${server.origin}/api/v1/insights/report?partner=rotterdam&from=2024-01-01&to=2024-12-31&format=html`);
  const loaded = performance.now() - started;
  console.log(`partner report for 2024 loaded in ${loaded.toFixed(0)} ms: ${await Screenshot(report, 'bench-insights-report')}`);
} finally {
  await browser?.close();
  await server?.Stop();
  await RemoveDir(dataDir);
  await RemoveDir(benchDir);
}
