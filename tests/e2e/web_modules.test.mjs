// Unit tests of the browser modules that run without a browser: the conversation log behind
// the realtime client (dedupe, resume point, outbox), the reconnect back-off and when a socket
// is given up, and the i18n tables (both languages complete, every key the pages use defined).

import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConversationLog, NewClientId } from '../../web/shared/conversation-log.js';
import { BackoffDelay, RealtimeSocket } from '../../web/shared/realtime.js';
import { kCommonStrings, ServiceDateOf } from '../../web/shared/i18n.js';
import { kVisitorStrings } from '../../web/visitor/strings.js';
import { kArabicStrings } from '../../web/visitor/strings-ar.js';
import { kConsoleStrings } from '../../web/console/strings.js';
import { kSetupStrings } from '../../web/setup/strings.js';
import { AddStrings, SetLanguage } from '../../web/shared/i18n.js';
import { TitleFor } from '../../web/console/alerts.js';
import { ResultFor, ScoreOf } from '../../web/visitor/self-check-score.js';
import { ExpectedWaitText } from '../../web/visitor/chat.js';
import { NewRequestId, RequestIds } from '../../web/visitor/request-id.js';
import { kRepo } from './support/server.mjs';
import { EnableFakeTimers, FakeClock, ResetFakeTimers } from './support/timers.mjs';

// Node 18 (Debian 12's) has no global crypto in a module; the pages' code uses the browser's.
globalThis.crypto ??= webcrypto;


function Text(seq, sender, body, client_id = `c${seq}`) {
  return { conversation_id: 'c_1', seq, kind: 'text', sender, client_id, body, created_at: seq };
}

// An outbox store in memory, as sessionStorage would hold it.
function MemoryStore(initial = []) {
  return {
    saved: initial,
    Load() {
      return this.saved;
    },
    Save(outbox) {
      this.saved = outbox.map((o) => ({ ...o }));
    },
  };
}

test('a message whose seq was seen already is dropped', () => {
  const log = new ConversationLog({ side: 'visitor' });
  assert.equal(log.Receive(Text(1, 'counsellor', 'hoi')), true);
  assert.equal(log.Receive(Text(1, 'counsellor', 'hoi')), false);
  assert.deepEqual(log.Entries().map((e) => e.body), ['hoi']);
});

test('LastSeq stops before the first gap', () => {
  const log = new ConversationLog({ side: 'counsellor' });
  log.Receive(Text(1, 'counsellor', 'a'));
  log.Receive(Text(3, 'visitor', 'c'));
  assert.equal(log.LastSeq(), 1);
  log.Receive(Text(2, 'visitor', 'b'));
  assert.equal(log.LastSeq(), 3);
  assert.deepEqual(log.Entries().map((e) => e.seq), [1, 2, 3]);
});

test('in an ordered log a received message moves LastSeq past what was not for this side', () => {
  const log = new ConversationLog({ side: 'visitor', ordered: true });
  log.Receive(Text(1, 'counsellor', 'a'));
  // 2 was a note: a connection brings entries in order, so 3 says nothing before it is missing.
  log.Receive(Text(3, 'counsellor', 'c'));
  assert.equal(log.LastSeq(), 3);
  assert.deepEqual(log.Entries().map((e) => e.seq), [1, 3]);
});

test('an ack does not move LastSeq past a gap, and a replay of an acked seq does', () => {
  const log = new ConversationLog({ side: 'visitor', ordered: true });
  log.Receive(Text(1, 'counsellor', 'a'));
  const item = log.Queue('b');
  // Acks and messages are not ordered with each other: 2 may still be on its way.
  log.Ack(item.client_id, 3, 3);
  assert.equal(log.LastSeq(), 1);
  // After a reconnect the page's own send comes back in order, after 2.
  assert.equal(log.Receive(Text(3, 'visitor', 'b', item.client_id)), false);
  assert.equal(log.LastSeq(), 3);
});

test('a queued message is pending until acknowledged, then is committed at its seq', () => {
  const store = MemoryStore();
  const log = new ConversationLog({ side: 'visitor', store });
  const item = log.Queue(' help\n');
  assert.equal(store.saved.length, 1);
  assert.deepEqual(log.Entries().map((e) => [e.body, !!e.pending]), [[' help\n', true]]);
  assert.equal(log.Ack(item.client_id, 1, 1700000000000), true);
  assert.deepEqual(store.saved, []);
  // The sending socket gets no message of its own send: the ack commits it, trimmed as stored.
  assert.deepEqual(
    log.Entries().map((e) => [e.seq, e.body, e.created_at, !!e.pending]),
    [[1, 'help', 1700000000000, false]],
  );
  assert.equal(log.LastSeq(), 1);
  assert.equal(log.Receive(Text(1, 'visitor', 'help', item.client_id)), false);
  assert.equal(log.Entries().length, 1);
});

test('the outbox survives a page load through its store', () => {
  const store = MemoryStore();
  const first = new ConversationLog({ side: 'visitor', store });
  const a = first.Queue('een');
  const b = first.Queue('twee');
  const second = new ConversationLog({ side: 'visitor', store });
  assert.deepEqual(second.Outbox().map((o) => o.client_id), [a.client_id, b.client_id]);
});

test('our own message arriving before its ack empties the outbox', () => {
  const log = new ConversationLog({ side: 'counsellor' });
  const item = log.Queue('dag');
  log.Receive(Text(4, 'counsellor', 'dag', item.client_id));
  assert.deepEqual(log.Outbox(), []);
  assert.equal(log.Ack(item.client_id, 4), false);
  assert.equal(log.Entries().length, 1);
});

test('a refused message leaves the outbox and shows as failed', () => {
  const log = new ConversationLog({ side: 'visitor' });
  const item = log.Queue('te laat');
  assert.equal(log.Fail(item.client_id), true);
  assert.deepEqual(log.Outbox(), []);
  assert.deepEqual(log.Entries().map((e) => [e.body, !!e.failed]), [['te laat', true]]);
  assert.equal(log.Fail(item.client_id), false);
});

// The chat ended before the ack of a message sent just before it came: the console guessed
// "not sent", but the server had committed it.
test('an ack or the entry of a message shown as failed shows it as sent after all', () => {
  const log = new ConversationLog({ side: 'counsellor' });
  const acked = log.Queue('pas goed op');
  const replayed = log.Queue('tot morgen');
  log.Fail(acked.client_id);
  log.Fail(replayed.client_id);
  assert.equal(log.Ack(acked.client_id, 10, 1000), true);
  log.Receive(Text(11, 'counsellor', 'tot morgen', replayed.client_id));
  assert.deepEqual(
    log.Entries().map((e) => [e.seq, e.body, !!e.failed]),
    [
      [10, 'pas goed op', false],
      [11, 'tot morgen', false],
    ],
  );
});

test('client ids are random and fit the protocol', () => {
  const ids = new Set(Array.from({ length: 100 }, () => NewClientId()));
  assert.equal(ids.size, 100);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{1,64}$/);
});

test('a request id is 128 random bits in 22 URL-safe characters', () => {
  const ids = new Set(Array.from({ length: 200 }, () => NewRequestId()));
  assert.equal(ids.size, 200);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{22}$/);
  const ones = { getRandomValues: (bytes) => bytes.fill(0xff) };
  assert.equal(NewRequestId(ones), '_'.repeat(21) + 'w');
});

test('a request keeps its id while it is asked again, counting the tries, and gets another once answered or changed', () => {
  const requests = new RequestIds();
  const sam = { nickname: 'Sam', subject: 'self' };
  const first = requests.For(sam);
  assert.equal(first.request_try, 1);
  assert.deepEqual(requests.For({ ...sam }), { request_id: first.request_id, request_try: 2 });
  const changed = requests.For({ nickname: 'Sami', subject: 'self' });
  assert.notEqual(changed.request_id, first.request_id);
  assert.equal(changed.request_try, 1);
  const back = requests.For(sam);
  assert.notEqual(back.request_id, first.request_id, 'a new id, not the old');
  assert.equal(back.request_try, 1);
  requests.Answered();
  assert.deepEqual(requests.For(sam).request_try, 1);
  assert.notEqual(requests.For(sam).request_id, back.request_id);
  let last = requests.For(sam);
  while (last.request_try < 10000) last = requests.For(sam);
  const over = requests.For(sam);
  assert.deepEqual([over.request_try, over.request_id === last.request_id], [1, false],
    'past the tries the server takes, the request starts over');
});

test('the console tab title counts who waits and what is unread', () => {
  AddStrings(kConsoleStrings);
  assert.equal(TitleFor(0, 0), 'Uitweg – console');
  assert.equal(TitleFor(3, 0), '(3) Uitweg – console');
  assert.equal(TitleFor(0, 2), '(0 · 2 nieuw) Uitweg – console');
  assert.equal(TitleFor(1, 5), '(1 · 5 nieuw) Uitweg – console');
});

test('a waiting visitor whose place is not known is not told that it is very busy', () => {
  AddStrings(kVisitorStrings);
  assert.equal(ExpectedWaitText(null, null), '');
  assert.equal(ExpectedWaitText(null, 0), '');
  assert.equal(ExpectedWaitText(null, 1), 'Er wacht niemand voor je: je bent de volgende.');
  assert.equal(ExpectedWaitText(null, 3), 'Het is nu erg druk: we kunnen niet zeggen hoe lang het duurt.');
  assert.match(ExpectedWaitText(10 * 60000, 0), /10 minuten/);
});

test('Arabic says two minutes and three to ten minutes in their own forms', async () => {
  AddStrings(kVisitorStrings);
  AddStrings({ ar: kArabicStrings });
  globalThis.document ??= { documentElement: {} };
  await SetLanguage('ar');
  try {
    assert.match(ExpectedWaitText(2 * 60000, 0), /حوالي دقيقتين/);
    assert.match(ExpectedWaitText(5 * 60000, 0), /حوالي 5 دقائق/);
    assert.match(ExpectedWaitText(11 * 60000, 0), /حوالي 11 دقيقة/);
  } finally {
    await SetLanguage('nl');
  }
  assert.match(ExpectedWaitText(2 * 60000, 0), /2 minuten/);
});

test('a self-check scores yes fully and sometimes half, and picks the highest result reached', () => {
  const questions = [{ weight: 3 }, { weight: 2 }, { weight: 1 }];
  assert.equal(ScoreOf(questions, []), 0);
  assert.equal(ScoreOf(questions, ['yes', 'sometimes', 'sometimes']), 3 + 1 + 0);
  assert.equal(ScoreOf(questions, ['no', 'yes', 'yes']), 3);
  const results = [{ min_score: 0, heading: 'a' }, { min_score: 4, heading: 'b' }, { min_score: 6, heading: 'c' }];
  assert.equal(ResultFor(results, 0).heading, 'a');
  assert.equal(ResultFor(results, 5).heading, 'b');
  assert.equal(ResultFor(results, 6).heading, 'c');
});

test('the service date is Amsterdam\'s, in winter and summer, whatever the reader\'s own zone', () => {
  assert.equal(ServiceDateOf(Date.UTC(2026, 11, 6, 22, 59)), '2026-12-06');
  assert.equal(ServiceDateOf(Date.UTC(2026, 11, 6, 23, 0)), '2026-12-07');
  assert.equal(ServiceDateOf(Date.UTC(2026, 6, 1, 21, 59)), '2026-07-01');
  assert.equal(ServiceDateOf(Date.UTC(2026, 6, 1, 22, 0)), '2026-07-02');
  assert.equal(ServiceDateOf(Date.UTC(2026, 0, 31, 12, 0)), '2026-01-31');
});

test('the back-off doubles with jitter and is capped', () => {
  assert.equal(BackoffDelay(0, () => 0), 250);
  assert.equal(BackoffDelay(0, () => 1), 500);
  assert.equal(BackoffDelay(3, () => 1), 4000);
  assert.equal(BackoffDelay(30, () => 1), 10000);
  assert.equal(BackoffDelay(30, () => 0), 5000);
});

// Each page: its HTML, its entry modules and the strings it adds to the common ones.
const kPages = [
  { name: 'visitor', html: ['visitor/index.html', 'visitor/self-check.html'],
    entries: ['visitor/main.js', 'visitor/self-check.js', 'visitor/info.js'], strings: kVisitorStrings },
  { name: 'console', html: ['console/index.html'], entries: ['console/main.js'], strings: kConsoleStrings },
  { name: 'setup', html: ['setup/index.html', 'setup/account.html'],
    entries: ['setup/main.js', 'setup/account.js'], strings: kSetupStrings },
];
const kTables = [kCommonStrings, ...kPages.map((page) => page.strings)];
const kWeb = path.join(kRepo, 'web');

// The files a page loads: its HTML and every module reachable by relative imports.
function PageFiles(page) {
  const files = new Set(page.html.map((f) => path.join(kWeb, f)));
  const pending = page.entries.map((f) => path.join(kWeb, f));
  while (pending.length) {
    const file = pending.pop();
    if (files.has(file)) continue;
    files.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g)) {
      pending.push(path.resolve(path.dirname(file), m[1]));
    }
  }
  return [...files];
}

// Keys a file names: data-i18n="…" in HTML; in modules t('…') calls, and with `anyLiteral`
// every quoted string (some modules pick a key first and translate it later).
function KeysIn(file, { anyLiteral = false } = {}) {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.html')) return [...text.matchAll(/data-i18n="([^"]+)"/g)].map((m) => m[1]);
  if (file.endsWith('i18n.js') || file.endsWith('strings.js')) return [];
  const pattern = anyLiteral ? /'([\w.]+)'/g : /\bt\('([\w.]+)'/g;
  return [...text.matchAll(pattern)].map((m) => m[1]);
}

test('Dutch and English hold the same keys in every table', () => {
  for (const table of kTables) {
    assert.deepEqual(Object.keys(table.en).sort(), Object.keys(table.nl).sort());
  }
});

test('Arabic has every visitor and common key, with the same placeholders', () => {
  const english = { ...kCommonStrings.en, ...kVisitorStrings.en };
  // Plural forms of a key (Plural in i18n.js) are Arabic's own: their key is there too.
  const pluralForm = /#(zero|one|two|few|many|other)$/;
  const forms = Object.keys(kArabicStrings).filter((key) => pluralForm.test(key));
  for (const key of forms) assert.ok(key.replace(pluralForm, '') in english, key);
  assert.deepEqual(
    Object.keys(kArabicStrings).filter((key) => !pluralForm.test(key)).sort(),
    Object.keys(english).sort(),
  );
  const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const [key, text] of Object.entries(english)) {
    assert.deepEqual(placeholders(kArabicStrings[key]), placeholders(text), key);
  }
});

test('no key is defined twice', () => {
  const all = kTables.flatMap((table) => Object.keys(table.nl));
  assert.deepEqual(all.filter((key, i) => all.indexOf(key) !== i), []);
});

// An object literal keeps the last of two equal keys without a word: a text written into the
// wrong language's table twice shows nowhere as wrong.
test('no language table of a strings file names a key twice', () => {
  const files = ['shared/i18n.js', 'console/strings.js', 'visitor/strings.js', 'visitor/strings-ar.js',
    'setup/strings.js'];
  for (const file of files) {
    const seen = new Map();  // key -> the language table it was first seen in
    let table = '';
    const doubled = [];
    for (const line of readFileSync(path.join(kWeb, file), 'utf8').split('\n')) {
      const opened = line.match(/^ {2}(\w+): \{/) ?? line.match(/^export const (\w+) = \{/);
      if (opened) table = opened[1];
      const key = line.match(/^ {2,4}'([\w.]+)':/);
      if (!key) continue;
      const where = `${table}:${key[1]}`;
      if (seen.has(where)) doubled.push(`${file} ${where}`);
      seen.set(where, true);
    }
    assert.deepEqual(doubled, [], file);
  }
});

test('every key a page uses is among the strings that page loads', () => {
  for (const page of kPages) {
    const known = new Set([...Object.keys(kCommonStrings.nl), ...Object.keys(page.strings.nl)]);
    const everyKey = new Set(kTables.flatMap((table) => Object.keys(table.nl)));
    const used = PageFiles(page).flatMap((file) => [
      ...KeysIn(file),
      ...KeysIn(file, { anyLiteral: true }).filter((literal) => everyKey.has(literal)),
    ]);
    assert.ok(used.length > 10, `${page.name}: found only ${used.length} keys`);
    assert.deepEqual([...new Set(used)].filter((key) => !known.has(key)), [], page.name);
  }
});

test('every key in the tables is used by a page', () => {
  const used = new Set(
    kPages.flatMap((page) => PageFiles(page).flatMap((file) => KeysIn(file, { anyLiteral: true }))),
  );
  // Connection states are looked up as `conn.${state}`, audit actions as `audit.a.${action}`,
  // roles as `role.${role}`, a counsellor's status as `availability.${status}` (and its
  // notice), weekdays as `hours.day.${day}`, registration states as
  // `registration.status.${state}`, the language switch inside i18n.js.
  const dynamic = ['conn.', 'audit.a.', 'role.', 'lang.', 'availability.', 'hours.day.', 'registration.status.',
    'referrals.s.', 'organisations.f.', 'campaigns.m.'];
  const unused = kTables
    .flatMap((table) => Object.keys(table.nl))
    .filter((key) => !used.has(key) && !dynamic.some((prefix) => key.startsWith(prefix)));
  assert.deepEqual(unused, []);
});

// A WebSocket that opens, talks or closes only when the test says so (it answers pings when
// `answersPings`), and a window and location around it; `sockets` lists every one the page made.
// Node's mock timers set the clock to the end of a tick before they run its callbacks: tick in
// steps no longer than the ping interval.
function FakeBrowser({ answersPings = false } = {}) {
  const sockets = [];
  class FakeWebSocket {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSED = 3;
    constructor(url) {
      this.url = url;
      this.readyState = FakeWebSocket.CONNECTING;
      this.listeners = new Map();
      this.closeCalls = 0;
      sockets.push(this);
    }
    addEventListener(type, handler) {
      this.listeners.set(type, [...(this.listeners.get(type) ?? []), handler]);
    }
    Fire(type, event = {}) {
      for (const handler of this.listeners.get(type) ?? []) handler(event);
    }
    Open() {
      this.readyState = FakeWebSocket.OPEN;
      this.Fire('open');
    }
    send(text) {
      if (answersPings && JSON.parse(text).type === 'ping') {
        this.Fire('message', { data: JSON.stringify({ type: 'pong' }) });
      }
    }
    // As over a dead network: the close event does not come.
    close() {
      this.closeCalls += 1;
    }
  }
  globalThis.WebSocket = FakeWebSocket;
  globalThis.window = { addEventListener() {}, removeEventListener() {} };
  globalThis.location = { protocol: 'http:', host: '127.0.0.1:1' };
  return {
    sockets,
    Remove() {
      delete globalThis.WebSocket;
      delete globalThis.window;
      delete globalThis.location;
    },
  };
}

test('a connection that never opens is given up and tried again', () => {
  const clock = FakeClock();
  const browser = FakeBrowser({ answersPings: true });
  const states = [];
  const socket = new RealtimeSocket('/ws', { onOpen() {}, onFrame() {}, onState: (s) => states.push(s) });
  try {
    socket.Start();
    assert.equal(browser.sockets.length, 1);
    clock.tick(14000);
    assert.equal(browser.sockets.length, 1, 'still waiting for the first to open');
    clock.tick(1000);
    assert.equal(browser.sockets[0].closeCalls, 1);
    clock.tick(500);
    assert.equal(browser.sockets.length, 2, 'a second attempt after the back-off');
    clock.tick(15000);
    assert.equal(browser.sockets.length, 2);
    clock.tick(1000);
    assert.equal(browser.sockets.length, 3, 'a third attempt');
    // A screen reader hears that there is no connection once, not at every attempt.
    assert.deepEqual(states, ['connecting', 'offline']);
    browser.sockets[2].Open();
    socket.Healthy();
    assert.deepEqual(states, ['connecting', 'offline', 'online']);
    for (let step = 0; step < 8; ++step) clock.tick(15000);
    assert.equal(browser.sockets[2].closeCalls, 0, 'an open socket that answers is kept');
    assert.equal(browser.sockets.length, 3);
  } finally {
    socket.Stop();
    browser.Remove();
    clock.reset();
  }
});

test('a connection gone silent is replaced without waiting for its close', () => {
  const clock = FakeClock();
  const browser = FakeBrowser();
  const socket = new RealtimeSocket('/ws', { onOpen: (s) => s.Healthy(), onFrame() {} });
  try {
    socket.Start();
    browser.sockets[0].Open();
    clock.tick(15000);
    clock.tick(15000);
    assert.equal(browser.sockets[0].closeCalls, 0, 'silent for 30 s: not yet');
    clock.tick(15000);
    assert.equal(browser.sockets[0].closeCalls, 1, 'silent for 45 s: given up');
    clock.tick(500);
    assert.equal(browser.sockets.length, 2, 'replaced after the back-off, without a close event');
  } finally {
    socket.Stop();
    browser.Remove();
    clock.reset();
  }
});

// A server that welcomes and then closes at once (a replay it cannot read, say) must not bring
// every tab back twice a second: the back-off resets only once a connection has lasted.
test('a connection closed right after its welcome backs off further each time', () => {
  const clock = FakeClock();
  const browser = FakeBrowser({ answersPings: true });
  const socket = new RealtimeSocket('/ws', { onOpen: (s) => s.Healthy(), onFrame() {} });
  try {
    socket.Start();
    for (let attempt = 0; attempt < 6; ++attempt) {
      browser.sockets.at(-1).Open();
      browser.sockets.at(-1).Fire('close');
      clock.tick(10000);
    }
    assert.equal(browser.sockets.length, 7);
    browser.sockets.at(-1).Open();
    browser.sockets.at(-1).Fire('close');
    clock.tick(4999);
    assert.equal(browser.sockets.length, 7, 'the seventh wait is at least five seconds');
    clock.tick(5001);
    assert.equal(browser.sockets.length, 8);
    // One that lasts is healthy: the next wait is short again.
    browser.sockets.at(-1).Open();
    clock.tick(15000);
    browser.sockets.at(-1).Fire('close');
    clock.tick(500);
    assert.equal(browser.sockets.length, 9);
  } finally {
    socket.Stop();
    browser.Remove();
    clock.reset();
  }
});

// Quick exit clears the tab, and the page runs on until the neutral site answers: an answer that
// comes in meanwhile (a chat just started) must not write its resume token back. Last in this
// file: the exit stays begun for the rest of the process.
test('nothing is kept once quick exit has begun, whatever answers after it', async () => {
  const stored = new Map();
  globalThis.sessionStorage = {
    getItem: (key) => (stored.has(key) ? stored.get(key) : null),
    setItem: (key, value) => stored.set(key, String(value)),
    removeItem: (key) => stored.delete(key),
    clear: () => stored.clear(),
  };
  globalThis.document = {
    body: { replaceChildren() {} },
    documentElement: { lang: 'nl', dir: 'ltr' },
    title: 'Uitweg',
    addEventListener() {},
  };
  let leftFor = null;
  globalThis.location = { replace: (url) => (leftFor = url) };
  try {
    const { WireQuickExit } = await import('../../web/shared/quick-exit.js');
    const { SaveSession, LoadSession, KeepCampaignCode } = await import('../../web/visitor/session.js');
    const { AddLanguage, RememberLanguage, SetLanguage } = await import('../../web/shared/i18n.js');
    let click = null;
    WireQuickExit({ addEventListener: (type, handler) => (click = handler) });
    SaveSession({ conversation_id: 'c_1', resume_token: 'r-1' });
    assert.equal(LoadSession()?.resume_token, 'r-1');
    // A language chosen just before the exit, whose strings arrive after it.
    let arrive = null;
    AddLanguage('xq', () => new Promise((resolve) => (arrive = () => resolve({ 'lang.name': 'Xq' }))));
    const chosen = SetLanguage('xq');
    click({ preventDefault() {} });
    arrive();
    await chosen;
    RememberLanguage('en');
    assert.equal(leftFor, 'https://www.google.nl/');
    assert.equal(stored.size, 0);
    SaveSession({ conversation_id: 'c_2', resume_token: 'r-2' });
    KeepCampaignCode('poster-1');
    assert.equal(stored.size, 0, 'written back after the exit');
    assert.equal(LoadSession(), null);
  } finally {
    delete globalThis.sessionStorage;
    delete globalThis.document;
    delete globalThis.location;
  }
});

test('a watch ends at a hand-over after it began, not at one in the conversation\'s past', async () => {
  const browser = FakeBrowser();
  const { StaffDesk } = await import('../../web/console/desk.js');
  const desk = new StaffDesk();
  const sent = [];
  desk.socket_.Send = (frame) => sent.push(frame);
  try {
    desk.OnFrame({ type: 'welcome', me: { username: 'sanne', role: 'supervisor', display_name: 'sanne' }, active: [] });
    const conversation = { id: 'c_1', status: 'active', subject: 'self', nickname: 'Ada', last_seq: 3 };
    desk.OnFrame({ type: 'monitoring', conversation });
    const message = (seq, kind, author) => ({
      type: 'message',
      message: { conversation_id: 'c_1', seq, kind, sender: 'counsellor', author, body: '', client_id: '', created_at: seq },
    });
    // Anna took it, then handed it to Bert, before the watch: the replay brings both.
    desk.OnFrame(message(1, 'accepted', 'Anna'));
    desk.OnFrame(message(2, 'text', 'Anna'));
    desk.OnFrame(message(3, 'transferred', 'Bert'));
    const chat = desk.chats.get('c_1');
    assert.equal(chat.monitoring, true);
    assert.equal(chat.ended, false, 'watching Bert\'s conversation');
    assert.deepEqual(sent, []);
    // Bert hands it to Cas while it is watched: the watch ends, and the server is told.
    desk.OnFrame(message(4, 'transferred', 'Cas'));
    assert.equal(chat.ended, true);
    assert.equal(chat.transferredTo, 'Cas');
    assert.deepEqual(sent, [{ type: 'unmonitor', conversation_id: 'c_1' }]);
    // The server had ended it already: its answer is no error for the supervisor.
    desk.OnFrame({ type: 'error', code: 'not_found', ref: 'c_1', message: 'you do not watch this conversation' });
    assert.equal(desk.notice, '');
  } finally {
    browser.Remove();
  }
});

test('a supervisor who takes over the chat they watch counsels it, with no error for the watch', async () => {
  await WithDesk({ username: 'Sanne', role: 'supervisor' }, (desk) => {
    const conversation = { id: 'c_1', status: 'active', subject: 'self', nickname: 'Ada', last_seq: 1 };
    desk.OnFrame({ type: 'monitoring', conversation });
    desk.OnFrame({ type: 'message', message: { conversation_id: 'c_1', seq: 2, kind: 'transferred', sender: 'counsellor', author: 'Sanne', body: '', client_id: '', created_at: 2 } });
    desk.OnFrame({ type: 'assigned', conversation: { ...conversation, last_seq: 2 } });
    desk.OnFrame({ type: 'error', code: 'not_found', ref: 'c_1', message: 'you do not watch this conversation' });
    const chat = desk.chats.get('c_1');
    assert.equal(chat.monitoring, false);
    assert.equal(chat.ended, false, 'hers to counsel');
    assert.equal(desk.notice, '');
  });
});

test('a chat taken over by a colleague who shares my name is theirs, not mine', async () => {
  await WithDesk({ username: 'Anna', role: 'counsellor' }, (desk) => {
    const message = (seq, kind) => ({
      type: 'message',
      message: { conversation_id: 'c_1', seq, kind, sender: 'counsellor', author: 'Anna', body: '', client_id: '', created_at: seq },
    });
    const assigned = (lastSeq) => ({ type: 'assigned', conversation: { id: 'c_1', status: 'active', subject: 'self', nickname: 'Ada', last_seq: lastSeq } });
    desk.OnFrame(assigned(1));
    desk.OnFrame(message(1, 'accepted'));
    const chat = desk.chats.get('c_1');
    assert.equal(chat.ended, false);
    // Another node's offers update overtook the hand-over: it said the offer was not taken.
    desk.OnFrame({ type: 'offers', to_me: [], from_me: [{ conversation_id: 'c_1', to: { id: 7, display_name: 'Anna' }, lapses_at: 9 }] });
    desk.OnFrame({ type: 'offers', to_me: [], from_me: [] });
    assert.notEqual(desk.notice, '');
    desk.OnFrame(message(2, 'transferred'));
    assert.equal(desk.notice, '', 'taken after all');
    assert.equal(chat.ended, true, 'the other Anna has it');
    assert.equal(chat.transferredTo, 'Anna');

    // Taken back: assigned here again, and the replay's hand-overs up to then are the past.
    desk.OnFrame(assigned(3));
    desk.OnFrame(message(3, 'transferred'));
    assert.equal(chat.ended, false, 'mine again');
    assert.equal(chat.transferredTo, null);
  });
});

test('a chat handed to a colleague and back ends as mine, and a visitor who writes is there', async () => {
  const browser = FakeBrowser();
  const { StaffDesk } = await import('../../web/console/desk.js');
  const desk = new StaffDesk();
  desk.socket_.Send = () => true;
  try {
    desk.OnFrame({ type: 'welcome', me: { username: 'anna', role: 'counsellor', display_name: 'Anna' }, active: [] });
    const message = (seq, kind, sender, author, conversation = 'c_1') => ({
      type: 'message',
      message: { conversation_id: conversation, seq, kind, sender, author, body: '', client_id: `m${seq}`, created_at: seq * 1000 },
    });
    desk.OnFrame(message(1, 'accepted', 'counsellor', 'Anna'));
    const chat = desk.chats.get('c_1');
    desk.OnFrame(message(2, 'transferred', 'counsellor', 'Bert'));
    assert.equal(chat.transferredTo, 'Bert');
    desk.OnFrame(message(3, 'transferred', 'counsellor', 'Anna'));
    assert.equal(chat.ended, false, 'mine again');
    assert.equal(chat.transferredTo, null);
    desk.OnFrame(message(4, 'ended', 'counsellor', 'Anna'));
    assert.equal(chat.ended, true);
    assert.equal(chat.transferredTo, null, 'the pane says it ended, not that Bert has it');

    desk.OnFrame(message(1, 'accepted', 'counsellor', 'Anna', 'c_2'));
    const other = desk.chats.get('c_2');
    desk.OnFrame({ type: 'presence', conversation_id: 'c_2', visitor: 'left', at: 2500 });
    desk.OnFrame(message(2, 'text', 'visitor', undefined, 'c_2'));
    assert.equal(other.presence.connected, false, 'a message from before they left says nothing');
    // Back through another node, which sends no presence here.
    desk.OnFrame(message(3, 'text', 'visitor', undefined, 'c_2'));
    assert.deepEqual(other.presence, { connected: true, at: 3000 });
  } finally {
    browser.Remove();
  }
});

// The welcome a desk gets when its socket opens, for an account `username` of `role`.
function Welcome(username, role) {
  return { type: 'welcome', me: { username, role, display_name: username, availability: 'available' }, active: [] };
}

// Runs `body(desk, t)` with a desk on a fake browser, welcomed as `username` (`role`). Its frames
// go nowhere unless `offline`, when its socket never opens and nothing can be sent.
async function WithDesk({ username, role, offline = false }, body) {
  const browser = FakeBrowser();
  const { StaffDesk } = await import('../../web/console/desk.js');
  const { t } = await import('../../web/shared/i18n.js');
  const desk = new StaffDesk();
  if (!offline) desk.socket_.Send = () => true;
  try {
    desk.OnFrame(Welcome(username, role));
    await body(desk, t);
  } finally {
    browser.Remove();
  }
}

test('an action asked for while the connection is down says so instead of doing nothing', async () => {
  await WithDesk({ username: 'anna', role: 'counsellor', offline: true }, (desk, t) => {
    desk.Accept('c_1');
    assert.equal(desk.notice, t('desk.offline'));
    desk.notice = '';
    desk.SetAvailability('away');
    assert.equal(desk.notice, t('desk.offline'));
    // Connected again: the notice no longer holds.
    desk.OnFrame(Welcome('anna', 'counsellor'));
    assert.equal(desk.notice, '');
    desk.socket_.Send = () => true;
    desk.AcceptNext();
    assert.equal(desk.notice, '', 'sent: nothing to say yet');
  });
});

test('a watch the audit trail could not record does not look live, when asked or followed again', async () => {
  await WithDesk({ username: 'sam', role: 'supervisor' }, (desk, t) => {
    const refused = (id) => ({ type: 'error', code: 'unavailable', message: 'the audit trail cannot be written', ref: id });
    desk.Monitor('c_1');
    desk.OnFrame(refused('c_1'));
    assert.equal(desk.notice, t('desk.watchNotRecorded'));
    assert.equal(desk.chats.has('c_1'), false);
    // A watch that ran, followed again after a reconnect and refused then.
    desk.Monitor('c_2');
    desk.OnFrame({ type: 'monitoring', conversation: { id: 'c_2', status: 'active', last_seq: 3, nickname: 'Sem' } });
    assert.equal(desk.chats.get('c_2').monitoring, true);
    desk.notice = '';
    desk.OnFrame(refused('c_2'));
    assert.equal(desk.notice, t('desk.watchNotRecorded'));
    assert.equal(desk.chats.has('c_2'), false, 'the pane of a watch that does not run is gone');
  });
});

test('an accept refused because the account was set away elsewhere says so, not that someone was quicker', async () => {
  await WithDesk({ username: 'anna', role: 'counsellor' }, (desk, t) => {
    desk.AcceptNext();
    desk.OnFrame({ type: 'error', code: 'failed_precondition', message: 'conversation is no longer waiting' });
    assert.equal(desk.notice, t('queue.taken'));
    desk.AcceptNext();
    desk.OnFrame({ type: 'availability', availability: 'away' });
    desk.OnFrame({ type: 'error', code: 'failed_precondition', message: 'you are no longer available' });
    assert.equal(desk.notice, t('queue.notAvailable'));
    assert.equal(desk.availability, 'away');
    // Another refusal later, for something else (a colleague was quicker), says that.
    desk.OnFrame({ type: 'error', code: 'failed_precondition', message: 'conversation no longer waits' });
    assert.equal(desk.notice, t('queue.taken'));
  });
});

test('a double click on accept asks once, and the chat it brought stays live', async () => {
  await WithDesk({ username: 'anna', role: 'counsellor' }, (desk, t) => {
    const sent = [];
    desk.socket_.Send = (frame) => sent.push(frame) > 0;
    desk.Accept('c_1');
    desk.Accept('c_1');
    assert.deepEqual(sent, [{ type: 'accept', conversation_id: 'c_1' }]);
    desk.OnFrame({ type: 'assigned', conversation: { id: 'c_1', status: 'active', nickname: 'Ada', last_seq: 1 } });
    // Clicked again before the queue dropped it: the chat opens, nothing is asked.
    desk.lastAssigned = null;
    desk.Accept('c_1');
    assert.equal(sent.length, 1);
    assert.equal(desk.lastAssigned, 'c_1');
    // "Help the next person" twice: one visitor.
    desk.AcceptNext();
    desk.AcceptNext();
    assert.equal(sent.filter((frame) => frame.type === 'accept_next').length, 1);
    desk.OnFrame({ type: 'error', code: 'not_found', message: 'nobody waits' });
    assert.equal(desk.notice, t('queue.nobody'));
    desk.AcceptNext();
    assert.equal(sent.filter((frame) => frame.type === 'accept_next').length, 2, 'answered: asked again');
  });
});

test('an accept refused for a chat handed back earlier says someone was quicker', async () => {
  await WithDesk({ username: 'anna', role: 'counsellor' }, (desk, t) => {
    desk.OnFrame({ type: 'assigned', conversation: { id: 'c_1', status: 'active', nickname: 'Ada', last_seq: 1 } });
    desk.OnFrame({ type: 'message', message: { conversation_id: 'c_1', seq: 2, kind: 'released', sender: 'counsellor', author: 'anna', body: '', client_id: '', created_at: 2 } });
    assert.equal(desk.chats.get('c_1').released, true);
    desk.Accept('c_1');
    desk.OnFrame({ type: 'error', code: 'failed_precondition', ref: 'c_1', message: 'no longer waiting' });
    assert.equal(desk.notice, t('queue.taken'));
  });
});

test('a chat closed or no longer watched is not brought back by what the server still sends', async () => {
  await WithDesk({ username: 'sam', role: 'supervisor' }, (desk) => {
    const message = (id, seq, kind) => ({
      type: 'message',
      message: { conversation_id: id, seq, kind, sender: 'counsellor', author: 'anna', body: '', client_id: '', created_at: seq },
    });
    desk.Monitor('c_1');
    desk.OnFrame({ type: 'monitoring', conversation: { id: 'c_1', status: 'active', nickname: 'Ada', last_seq: 1 } });
    desk.StopMonitoring('c_1');
    // Sent before the server handled the unmonitor.
    desk.OnFrame(message('c_1', 2, 'text'));
    assert.equal(desk.chats.has('c_1'), false);
    // An ended chat of mine, closed: a referral added to it later does not reopen it.
    desk.OnFrame({ type: 'assigned', conversation: { id: 'c_2', status: 'active', nickname: 'Bo', last_seq: 1 } });
    desk.OnFrame(message('c_2', 2, 'ended'));
    desk.Dismiss('c_2');
    desk.OnFrame(message('c_2', 3, 'referral'));
    assert.equal(desk.chats.has('c_2'), false);
    // Watching it again brings it back, with what comes after.
    desk.Monitor('c_1');
    desk.OnFrame({ type: 'monitoring', conversation: { id: 'c_1', status: 'active', nickname: 'Ada', last_seq: 2 } });
    desk.OnFrame(message('c_1', 3, 'text'));
    assert.equal(desk.chats.get('c_1').log.LastSeq(), 0);
    assert.deepEqual(desk.chats.get('c_1').log.Entries().map((e) => e.seq), [3]);
  });
});

test('a chat gone when followed again after a reconnect ends, and its unsent message fails', async () => {
  await WithDesk({ username: 'anna', role: 'counsellor' }, (desk) => {
    desk.OnFrame({ type: 'assigned', conversation: { id: 'c_1', status: 'active', nickname: 'Ada', last_seq: 1 } });
    desk.welcomed_ = false;
    desk.SendText('c_1', 'ben je er nog?');
    desk.OnFrame(Welcome('anna', 'counsellor'));
    desk.OnFrame({ type: 'error', code: 'not_found', ref: 'c_1', message: 'conversation not found' });
    const chat = desk.chats.get('c_1');
    assert.equal(chat.ended, true);
    assert.deepEqual(chat.log.Outbox(), []);
    assert.equal(chat.log.Entries().filter((e) => e.failed).length, 1);
  });
});

// The desk holds chat c_1 and has sent one text in it; what it sends goes to `sent`.
function SentOneText(desk) {
  const sent = [];
  desk.socket_.Send = (frame) => sent.push(frame) > 0;
  desk.OnFrame({ type: 'assigned', conversation: { id: 'c_1', status: 'active', nickname: 'Ada', last_seq: 1 } });
  desk.SendText('c_1', 'hallo');
  return { sent, id: sent[0].client_id };
}

test('a message refused as busy waits as long as the server asks, and fails after a few tries', async () => {
  EnableFakeTimers(['setTimeout']);
  try {
    await WithDesk({ username: 'anna', role: 'counsellor' }, (desk) => {
      const { sent, id } = SentOneText(desk);
      const refused = { type: 'error', code: 'unavailable', ref: id, message: 'busy', retry_after: 5 };
      desk.OnFrame(refused);
      mock.timers.tick(4999);
      assert.equal(sent.length, 1);
      mock.timers.tick(1);
      assert.equal(sent.length, 2, 'sent again after retry_after');
      for (let i = 0; i < 4; ++i) {
        desk.OnFrame(refused);
        mock.timers.tick(5000);
      }
      assert.equal(sent.length, 6);
      desk.OnFrame(refused);
      mock.timers.tick(5000);
      assert.equal(sent.length, 6, 'no further try');
      assert.equal(desk.chats.get('c_1').log.Entries().filter((e) => e.failed).length, 1);
    });
  } finally {
    ResetFakeTimers();
  }
});

test('what is typed while a refused message waits goes after it, and only in that chat', async () => {
  EnableFakeTimers(['setTimeout']);
  try {
    await WithDesk({ username: 'anna', role: 'counsellor' }, (desk) => {
      const { sent, id } = SentOneText(desk);
      desk.OnFrame({ type: 'assigned', conversation: { id: 'c_2', status: 'active', nickname: 'Bo', last_seq: 1 } });
      desk.SendText('c_1', 'tweede');
      const second = sent[1].client_id;
      desk.OnFrame({ type: 'error', code: 'unavailable', ref: id, message: 'busy', retry_after: 3 });
      // A longer pause asked for by the next refusal moves the resend.
      desk.OnFrame({ type: 'error', code: 'resource_exhausted', ref: second, message: 'slow down', retry_after: 4 });
      desk.SendText('c_1', 'derde');
      desk.SendText('c_2', 'welkom');
      assert.deepEqual(sent.map((frame) => frame.body), ['hallo', 'tweede', 'welkom'], 'c_1 holds its new message');
      mock.timers.tick(3999);
      assert.equal(sent.length, 3);
      mock.timers.tick(1);
      assert.deepEqual(sent.slice(3).map((frame) => frame.body), ['hallo', 'tweede', 'derde']);
      desk.OnFrame({ type: 'ack', conversation_id: 'c_1', client_id: id, seq: 2, created_at: 2 });
      desk.SendText('c_1', 'vierde');
      assert.equal(sent.at(-1).body, 'vierde', 'the hold is over');
      // Ended during a hold: the end goes after what was held, not before it.
      desk.OnFrame({ type: 'error', code: 'unavailable', ref: sent.at(-1).client_id, message: 'busy', retry_after: 1 });
      desk.SendText('c_1', 'dag!');
      desk.End('c_1');
      assert.equal(sent.at(-1).body, 'vierde', 'nothing goes during the hold');
      mock.timers.tick(1000);
      assert.deepEqual(sent.slice(-3).map((frame) => frame.body ?? frame.type), ['vierde', 'dag!', 'end']);
    });
  } finally {
    ResetFakeTimers();
  }
});

test('the refusal of a message already shown as not sent says nothing more', async () => {
  await WithDesk({ username: 'anna', role: 'counsellor' }, (desk) => {
    desk.OnFrame({ type: 'assigned', conversation: { id: 'c_1', status: 'active', nickname: 'Ada', last_seq: 1 } });
    desk.welcomed_ = false;
    desk.SendText('c_1', 'ben je er nog?');
    const [item] = desk.chats.get('c_1').log.Outbox();
    desk.OnFrame(Welcome('anna', 'counsellor'));
    // The replay brings the end first; the resend's refusal comes after it.
    desk.OnFrame({ type: 'message', message: { conversation_id: 'c_1', seq: 2, kind: 'ended', sender: 'visitor', body: '', client_id: '', created_at: 2 } });
    desk.OnFrame({ type: 'error', code: 'failed_precondition', ref: item.client_id, message: 'conversation has ended' });
    assert.equal(desk.notice, '');
  });
});

test('a retry planned before a reconnect does not send again what the welcome resent', async () => {
  EnableFakeTimers(['setTimeout']);
  try {
    await WithDesk({ username: 'anna', role: 'counsellor' }, (desk) => {
      const { sent, id } = SentOneText(desk);
      desk.OnFrame({ type: 'error', code: 'unavailable', ref: id, message: 'busy' });
      desk.OnFrame(Welcome('anna', 'counsellor'));
      const sends = () => sent.filter((frame) => frame.client_id === id).length;
      assert.equal(sends(), 2, 'the welcome resent it');
      mock.timers.tick(2000);
      assert.equal(sends(), 2, 'the retry of the socket before does not');
    });
  } finally {
    ResetFakeTimers();
  }
});
