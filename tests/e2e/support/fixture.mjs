// The fixture every browser test file shares: one real server on a fresh data folder (with the
// TOML configuration the file gives, if any; tests run at any hour, so the chat is always open
// unless that sets opening_hours), the staff accounts the file needs, and one
// browser, set up before the file's tests and torn down after them. Fields are filled in by the
// `before` hook, so read them inside tests. With `tls`, the server speaks HTTPS with a
// self-signed certificate made for the run.

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before } from 'node:test';
import { LaunchBrowser } from './browser.mjs';
import { AddStaff, RemoveDir, SelfSignedCertificate, TempDir, UitwegServer } from './server.mjs';

export const kPassword = 'lang-genoeg-wachtwoord';

export function ServerAndBrowser(name, { staff = [], config = '', tls = false } = {}) {
  const env = { dataDir: null, server: null, browser: null };
  before(async () => {
    env.dataDir = await TempDir(name);
    const configFile = path.join(env.dataDir, 'uitweg.toml');
    await writeFile(configFile, (config.includes('opening_hours') ? '' : 'opening_hours = "always"\n') + config);
    const certificate = tls ? SelfSignedCertificate(env.dataDir) : null;
    env.server = await new UitwegServer(env.dataDir, configFile, certificate).Start();
    for (const username of staff) await AddStaff(env.dataDir, username, kPassword);
    env.browser = await LaunchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.Stop();
    await RemoveDir(env.dataDir);
  });
  return env;
}
