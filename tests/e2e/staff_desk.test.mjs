// Unit tests of the console's StaffDesk over a fake WebSocket, without a browser: what it says
// after (re)connecting, how it resends, and how it treats errors about its sends.

import { afterEach, beforeEach, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { EnableFakeTimers, ResetFakeTimers } from './support/timers.mjs';

// Node 18 (Debian 12's) has no global crypto in a module; the pages' code uses the browser's.
globalThis.crypto ??= webcrypto;

// The browser globals RealtimeSocket uses.
class FakeWebSocket {
  static OPEN = 1;
  static opened = [];

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.listeners = {};
    FakeWebSocket.opened.push(this);
  }

  addEventListener(type, listener) {
    (this.listeners[type] ??= []).push(listener);
  }

  send(data) {
    this.sent.push(JSON.parse(data));
  }

  close() {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.Emit('close', {});
  }

  Open() {
    this.readyState = FakeWebSocket.OPEN;
    this.Emit('open', {});
  }

  Receive(frame) {
    this.Emit('message', { data: JSON.stringify(frame) });
  }

  Emit(type, event) {
    for (const listener of this.listeners[type] ?? []) listener(event);
  }
}

globalThis.WebSocket = FakeWebSocket;
globalThis.window = new EventTarget();
globalThis.location = { protocol: 'http:', host: '127.0.0.1:8080' };
const { StaffDesk } = await import('../../web/console/desk.js');
const { AddStrings } = await import('../../web/shared/i18n.js');
const { kConsoleStrings } = await import('../../web/console/strings.js');
AddStrings(kConsoleStrings);

const kConversation = { id: 'c_1', status: 'active', subject: 'self', nickname: 'Sam', last_seq: 1 };

function Message(seq, sender, body, client_id = `x${seq}`) {
  return { conversation_id: 'c_1', seq, kind: 'text', sender, client_id, body, created_at: seq };
}

let desk;
beforeEach(() => {
  EnableFakeTimers(['setTimeout', 'setInterval']);
  FakeWebSocket.opened = [];
  desk = new StaffDesk();
  desk.Start();
});

afterEach(() => {
  desk.Stop();
  ResetFakeTimers();
});

// Opens the newest socket and welcomes the desk with `active` conversations.
function Welcome(active = [kConversation]) {
  const ws = FakeWebSocket.opened.at(-1);
  ws.Open();
  ws.Receive({ type: 'welcome', me: { username: 'anna', role: 'counsellor', display_name: 'Anna' }, active });
  return ws;
}

test('the desk says hello and subscribes to its active conversations', () => {
  const ws = Welcome();
  assert.equal(ws.url, 'ws://127.0.0.1:8080/api/v1/staff/ws');
  assert.deepEqual(ws.sent, [
    { type: 'hello' },
    { type: 'subscribe', conversation_id: 'c_1', last_seq: 0 },
  ]);
  assert.equal(desk.connection, 'online');
});

test('after a reconnect it resumes from the last seq it has and resends its outbox', () => {
  const first = Welcome();
  first.Receive({ type: 'message', message: Message(1, 'counsellor', 'hallo') });
  first.Receive({ type: 'message', message: Message(2, 'visitor', 'hoi') });
  first.close();
  assert.equal(desk.connection, 'offline');
  desk.SendText('c_1', 'ben je er nog?');
  const [pending] = desk.chats.get('c_1').log.Outbox();

  mock.timers.tick(10000);
  const second = Welcome();
  assert.notEqual(second, first);
  assert.deepEqual(second.sent, [
    { type: 'hello' },
    { type: 'subscribe', conversation_id: 'c_1', last_seq: 2 },
    { type: 'send', conversation_id: 'c_1', client_id: pending.client_id, body: 'ben je er nog?' },
  ]);
  second.Receive({ type: 'ack', conversation_id: 'c_1', client_id: pending.client_id, seq: 3, duplicate: true });
  assert.deepEqual(desk.chats.get('c_1').log.Outbox(), []);
});

// With several nodes, a node tells only of visitors connected to it: after a reconnect to
// another node (the last one killed, say), "connected" from the old one must not stay.
test("after a reconnect the visitor's presence is what the new node tells, or nothing", () => {
  const first = Welcome();
  first.Receive({ type: 'presence', conversation_id: 'c_1', visitor: 'connected', at: 1 });
  assert.equal(desk.chats.get('c_1').presence.connected, true);
  first.close();
  mock.timers.tick(10000);
  const second = Welcome();
  assert.equal(desk.chats.get('c_1').presence, null, "the old node's word no longer holds");
  second.Receive({ type: 'presence', conversation_id: 'c_1', visitor: 'left', at: 5 });
  assert.deepEqual(desk.chats.get('c_1').presence, { connected: false, at: 5 });
});

test('a rate-limited send is tried again; a refused one shows as not sent', () => {
  const ws = Welcome();
  desk.SendText('c_1', 'een');
  desk.SendText('c_1', 'twee');
  const [one, two] = desk.chats.get('c_1').log.Outbox();
  ws.sent = [];
  ws.Receive({ type: 'error', code: 'resource_exhausted', message: 'slow down', ref: one.client_id });
  ws.Receive({ type: 'error', code: 'failed_precondition', message: 'ended', ref: two.client_id });
  assert.deepEqual(ws.sent, []);
  mock.timers.tick(2000);
  assert.deepEqual(ws.sent, [{ type: 'send', conversation_id: 'c_1', client_id: one.client_id, body: 'een' }]);
  const failed = desk.chats.get('c_1').log.Entries().filter((e) => e.failed);
  assert.deepEqual(failed.map((e) => e.body), ['twee']);
  assert.equal(desk.notice, '');
});

test('a message that overtakes its assignment is kept', () => {
  const ws = Welcome([]);
  ws.Receive({ type: 'message', message: { ...Message(1, 'visitor', 'eerst'), conversation_id: 'c_9' } });
  ws.Receive({ type: 'assigned', conversation: { ...kConversation, id: 'c_9', nickname: 'Noor' } });
  const chat = desk.chats.get('c_9');
  assert.equal(chat.conversation.nickname, 'Noor');
  assert.deepEqual(chat.log.Entries().map((e) => e.body), ['eerst']);
  assert.equal(desk.lastAssigned, 'c_9');
});

test('losing a race for a conversation says so', () => {
  const ws = Welcome([]);
  ws.Receive({ type: 'error', code: 'failed_precondition', message: 'taken', ref: 'c_5' });
  assert.equal(desk.notice, 'Dit gesprek is al aangenomen.');
});

const kOfferToBram = { conversation_id: 'c_1', to: { id: 7, display_name: 'Bram' }, lapses_at: 120000 };

test('an offer taken back is not told as one the colleague did not take', () => {
  const ws = Welcome();
  ws.Receive({ type: 'offers', to_me: [], from_me: [kOfferToBram] });
  desk.DeclineTransfer('c_1');
  assert.deepEqual(ws.sent.at(-1), { type: 'decline_transfer', conversation_id: 'c_1' });
  // The list of offers may come before the answer to the take-back, or after it.
  ws.Receive({ type: 'offers', to_me: [], from_me: [] });
  ws.Receive({ type: 'transfer_withdrawn', conversation_id: 'c_1' });
  assert.equal(desk.notice, '');
  assert.deepEqual(desk.offersFromMe, []);

  // Taken back, then offered again within the second: that offer lapsing is told.
  ws.Receive({ type: 'offers', to_me: [], from_me: [kOfferToBram] });
  desk.DeclineTransfer('c_1');
  desk.Transfer('c_1', 7, '');
  ws.Receive({ type: 'offers', to_me: [], from_me: [kOfferToBram] });
  ws.Receive({ type: 'offers', to_me: [], from_me: [] });
  assert.equal(desk.notice, 'Bram heeft het gesprek niet overgenomen; het blijft bij jou.', 'a later offer that lapses is told');
});

test('a watch asked for after the chat stopped being live says so, and is not pending any more', () => {
  const ws = Welcome([]);
  desk.Monitor('c_4');
  ws.Receive({ type: 'error', code: 'failed_precondition', message: 'the conversation is not live', ref: 'c_4' });
  assert.equal(desk.notice, 'Dit gesprek is niet meer live (beëindigd of terug in de wachtrij); meekijken kan niet.');
  ws.Receive({ type: 'error', code: 'failed_precondition', message: 'taken', ref: 'c_4' });
  assert.equal(desk.notice, 'Dit gesprek is al aangenomen.', 'the watch was asked for once');
});

// A supervisor's console reconnects after the chat it watched went to another counsellor: it
// asks to watch again from where its watch began, and the server refuses (the hand-over would
// have ended the watch); what it had still to whisper is not sent to the counsellor who took over.
test('a watch resumed after a reconnect names where it began and ends at a refusal', () => {
  const first = Welcome([]);
  desk.Monitor('c_1');
  first.Receive({ type: 'monitoring', conversation: { ...kConversation, last_seq: 1 } });
  for (const seq of [1, 2, 3]) first.Receive({ type: 'message', message: Message(seq, 'visitor', `m${seq}`) });
  first.close();
  desk.SendText('c_1', 'vraag naar school', 'whisper');
  mock.timers.tick(10000);
  const second = Welcome([]);
  const [monitor] = second.sent.filter((frame) => frame.type === 'monitor');
  assert.deepEqual(monitor, { type: 'monitor', conversation_id: 'c_1', last_seq: 3, since: 1 });
  second.Receive({ type: 'error', code: 'failed_precondition', message: 'handed over', ref: 'c_1' });
  const chat = desk.chats.get('c_1');
  assert.equal(chat.released, true, 'the watch is over: handed over, not ended');
  // The whisper was for the counsellor before: not sent again, shown as not sent.
  const [whisper] = second.sent.filter((frame) => frame.type === 'whisper');
  second.Receive({ type: 'error', code: 'failed_precondition', message: 'not watching', ref: whisper.client_id });
  assert.deepEqual(chat.log.Entries().filter((e) => e.failed).map((e) => e.body), ['vraag naar school']);

  // Watching again is a watch of whoever holds it now: the hand-over before it is its past.
  desk.Monitor('c_1');
  second.Receive({ type: 'monitoring', conversation: { ...kConversation, last_seq: 9 } });
  assert.equal(chat.watchFrom, 9);
  second.Receive({ type: 'message', message: { ...Message(4, 'system', ''), kind: 'released' } });
  assert.equal(desk.chats.get('c_1').released, false, 'the new watch goes on');
  assert.equal(second.sent.filter((frame) => frame.type === 'unmonitor').length, 0);
});

test('a watch resumed without a hand-over keeps where it began', () => {
  const first = Welcome([]);
  desk.Monitor('c_1');
  first.Receive({ type: 'monitoring', conversation: { ...kConversation, last_seq: 5 } });
  first.close();
  mock.timers.tick(10000);
  const second = Welcome([]);
  second.Receive({ type: 'monitoring', conversation: { ...kConversation, last_seq: 9 } });
  assert.equal(desk.chats.get('c_1').watchFrom, 5);
  // A hand-over after the watch began ends it here too.
  second.Receive({ type: 'message', message: { ...Message(7, 'system', ''), kind: 'released' } });
  assert.equal(desk.chats.get('c_1').released, true);
  assert.deepEqual(second.sent.at(-1), { type: 'unmonitor', conversation_id: 'c_1' });
});
