// Runs the real `uitweg` binary for browser tests: on 127.0.0.1, port 0 (or a given port, for a
// restart on the same address), with a temporary data directory. The binary comes from
// UITWEG_BIN, else build/uitweg in the repository. A test may wait for an event the server logs.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ParsePrintedSecondFactor, RememberSecondFactor } from './totp.mjs';

export const kRepo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const kBinary = process.env.UITWEG_BIN || path.join(kRepo, 'build/uitweg');
const kStartTimeoutMs = 30000;
const kLogWaitMs = 15000;

export async function TempDir(prefix) {
  return mkdtemp(path.join(tmpdir(), `uitweg-e2e-${prefix}-`));
}

// A self-signed certificate for 127.0.0.1 and its key, written into `dir` by `openssl`.
export function SelfSignedCertificate(dir) {
  const cert = path.join(dir, 'tls-cert.pem');
  const key = path.join(dir, 'tls-key.pem');
  execFileSync('/usr/bin/openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  return { cert, key };
}

export async function RemoveDir(dir) {
  await rm(dir, { recursive: true, force: true });
}

function Exited(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

export class UitwegServer {
  // `configFile`: a TOML file for --config, or null. `tls`: { cert, key } PEM files to serve
  // HTTPS with, or null.
  constructor(dataDir, configFile = null, tls = null) {
    this.dataDir = dataDir;
    this.configFile = configFile;
    this.tls = tls;
    this.port = 0;
    this.child = null;
    this.stderrTail = [];
    this.stdout = '';
    this.logged = [];
    this.logWaiters = [];
  }

  get origin() {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  // Starts the server (on this.port when it ran before) and waits for `server.listening`.
  async Start() {
    const child = spawn(
      kBinary,
      [
        'serve',
        '--listen',
        `127.0.0.1:${this.port}`,
        '--data',
        this.dataDir,
        ...(this.configFile ? ['--config', this.configFile] : []),
        ...(this.tls ? ['--tls-cert', this.tls.cert, '--tls-key', this.tls.key] : []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    this.stdout = '';
    this.logged = [];
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      this.stdout += chunk;
    });
    this.port = await new Promise((resolve, reject) => {
      let buffered = '';
      const timer = setTimeout(() => reject(new Error(`uitweg did not listen: ${this.Tail()}`)), kStartTimeoutMs);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`uitweg exited (${code ?? signal}) before listening: ${this.Tail()}`));
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop();
        for (const line of lines) {
          this.stderrTail = [...this.stderrTail.slice(-20), line];
          let record;
          try {
            record = JSON.parse(line);
          } catch {
            continue;
          }
          this.OnLogged(record);
          if (record.event === 'server.listening') {
            clearTimeout(timer);
            resolve(Number(record.port));
          }
        }
      });
    });
    child.removeAllListeners('exit');
    return this;
  }

  // The first-administrator link the server prints on stdout when it has no staff yet.
  async SetupLink() {
    const deadline = Date.now() + kStartTimeoutMs;
    for (;;) {
      const match = /(https?:\/\/\S+\/setup#token=\S+)/.exec(this.stdout);
      if (match) return match[1];
      if (Date.now() > deadline) throw new Error(`no set-up link on stdout: ${this.stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  Tail() {
    return this.stderrTail.join('\n');
  }

  // Resolves with the first record the server logged since it started whose event is `event`
  // and whose fields include `fields` (e.g. { scan: 2 }), waiting for it if it has not come yet.
  WaitForLog(event, fields = {}) {
    const matches = (record) =>
      record.event === event && Object.entries(fields).every(([key, value]) => record[key] === value);
    const seen = this.logged.find(matches);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = {
        matches,
        resolve: (record) => {
          clearTimeout(timer);
          resolve(record);
        },
      };
      const timer = setTimeout(() => {
        this.logWaiters = this.logWaiters.filter((w) => w !== waiter);
        reject(new Error(`no ${event} ${JSON.stringify(fields)} in the log: ${this.Tail()}`));
      }, kLogWaitMs);
      this.logWaiters.push(waiter);
    });
  }

  // Each JSON line of stderr.
  OnLogged(record) {
    this.logged.push(record);
    const waiters = this.logWaiters;
    this.logWaiters = waiters.filter((waiter) => !waiter.matches(record));
    for (const waiter of waiters) if (waiter.matches(record)) waiter.resolve(record);
  }

  // Kills the process at once, as a crash would.
  async Kill() {
    if (!this.child) return;
    const child = this.child;
    this.child = null;
    child.kill('SIGKILL');
    await Exited(child);
  }

  // Asks the process to stop and waits for it.
  async Stop() {
    if (!this.child) return;
    const child = this.child;
    this.child = null;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
    await Exited(child);
    clearTimeout(timer);
  }
}

// `uitweg user add` with the password on stdin; remembers the second factor it prints, for
// NextSignInCode (totp.mjs). Resolves to that second factor.
export function AddStaff(dataDir, username, password, role = 'counsellor') {
  return new Promise((resolve, reject) => {
    const child = spawn(
      kBinary,
      ['user', 'add', '--username', username, '--role', role, '--data', dataDir, '--password-stdin'],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) {
        reject(new Error(`uitweg user add exited with ${code}: ${stderr}`));
        return;
      }
      try {
        const factor = ParsePrintedSecondFactor(stdout);
        RememberSecondFactor(username, factor);
        resolve(factor);
      } catch (error) {
        reject(error);
      }
    });
    // A command that exits before reading stdin reports through its exit code, not EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(`${password}\n`);
  });
}
