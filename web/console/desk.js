// StaffDesk: one counsellor's live view of the service over the staff WebSocket: the queue (its
// most urgent part, kept up to date from the server's changes, and how many wait in all), and
// every conversation assigned to them with its ConversationLog (outbox in memory).
// OnAlert() tells of a new visitor in the queue and of a new message from a visitor, as they
// happen (not what a snapshot or a replay after a reconnect brings back).
// After each (re)connect it says hello, then subscribes to each open conversation with the
// last seq it has and resends that conversation's outbox. Screens subscribe with OnChange()
// and read the fields; they act through Accept/SendText/End. No DOM, no Preact.

import { t } from '../shared/i18n.js';
import { ConversationLog, RealtimeSocket } from '../shared/realtime.js';
import { ResendHold } from '../shared/resend-hold.js';

const kFinalSendErrors = new Set(['failed_precondition', 'invalid_argument', 'permission_denied']);
const kRetryableSendErrors = new Set(['resource_exhausted', 'unavailable', 'internal']);
const kRetryDelayMs = 2000;
// Tries of one message refused with a retryable error, after which it shows as failed.
const kMaxSendRetries = 5;
const kTypingEveryMs = 2000;
const kTypingShownMs = 4000;

// The frame that carries an outbox item of this kind: a text to the visitor, or staff-only.
function SendFrame(conversationId, item) {
  const type = item.kind === 'note' || item.kind === 'whisper' ? item.kind : 'send';
  return { type, conversation_id: conversationId, client_id: item.client_id, body: item.body };
}

// Most urgent first, then longest waiting: the server's order.
function SortQueue(entries) {
  return entries.sort(
    (a, b) =>
      b.urgency - a.urgency ||
      a.created_at - b.created_at ||
      (a.conversation_id < b.conversation_id ? -1 : a.conversation_id > b.conversation_id ? 1 : 0),
  );
}

// A queue entry with the moment it arrived, so that its waiting time can tick on locally.
function Received(entry) {
  return { ...entry, received_at: Date.now() };
}

export class StaffDesk {
  constructor() {
    this.queue = [];
    this.queueTotal = 0;
    this.chats = new Map();
    this.connection = 'connecting';
    this.notice = '';
    this.availability = null;  // the server's word, from the welcome on
    this.frames_ = 0;  // frames received: which came right before which
    this.availabilityToldAt_ = -1;
    this.me = null;  // {username, role, display_name}, from the welcome
    // Transfers: offered to me ({conversation, from, lapses_at}) and by me ({conversation_id, to,
    // lapses_at}), as the server last said.
    this.offersToMe = [];
    this.offersFromMe = [];
    // Offers of mine I took back myself: gone from the next `offers` without being "not taken".
    this.takenBack_ = new Set();
    this.lastAssigned = null;
    this.watchAsked_ = new Set();
    // Accepts asked for and not yet answered, and whether an accept_next is: a double click asks
    // once (the second accept would be refused, the chat being ours by then).
    this.acceptsAsked_ = new Set();
    this.nextAsked_ = false;
    // Chats closed or no longer watched here: what the server still sends for them (until it has
    // heard of the unmonitor, or for an ended chat it keeps following) must not bring them back.
    this.dismissed_ = new Set();
    // Refusals so far of each message being retried, by client_id, on this socket.
    this.retries_ = new Map();
    // Watches this desk ended itself at a hand-over: the server may have ended them first.
    this.unwatchedAtHandOver_ = new Set();
    this.welcomed_ = false;
    this.listeners_ = new Set();
    this.alertListeners_ = new Set();
    this.seenWaiting_ = new Set();
    this.socket_ = new RealtimeSocket('/api/v1/staff/ws', {
      onOpen: (socket) => {
        this.welcomed_ = false;
        socket.Send({ type: 'hello' });
      },
      onFrame: (frame) => {
        this.OnFrame(frame);
        this.Changed();
      },
      onState: (state) => {
        if (state !== 'online') this.welcomed_ = false;
        this.connection = state;
        this.Changed();
      },
    });
  }

  Start() {
    this.socket_.Start();
  }

  Stop() {
    this.socket_.Stop();
  }

  // Whether any chat holds a message the server has not acknowledged yet.
  HasUnsent() {
    return [...this.chats.values()].some((chat) => chat.log.Outbox().length > 0);
  }

  OnChange(listener) {
    this.listeners_.add(listener);
    return () => this.listeners_.delete(listener);
  }

  Changed() {
    for (const listener of this.listeners_) listener();
  }

  OnAlert(listener) {
    this.alertListeners_.add(listener);
    return () => this.alertListeners_.delete(listener);
  }

  Alert(alert) {
    for (const listener of this.alertListeners_) listener(alert);
  }

  // Messages not yet read, over every conversation.
  UnreadTotal() {
    let unread = 0;
    for (const chat of this.chats.values()) unread += chat.unread;
    return unread;
  }

  OnFrame(frame) {
    this.frames_ += 1;
    switch (frame.type) {
      case 'welcome':
        this.OnWelcome(frame);
        break;
      case 'availability':
        this.availability = frame.availability;
        // Sent before an accept is refused for it: that refusal says why.
        this.availabilityToldAt_ = this.frames_;
        break;
      case 'offers':
        this.OnOffers(frame);
        break;
      case 'transfer_offered':
        break;
      case 'transfer_withdrawn':
        this.offersFromMe = this.offersFromMe.filter((offer) => offer.conversation_id !== frame.conversation_id);
        this.offersToMe = this.offersToMe.filter((offer) => offer.conversation.id !== frame.conversation_id);
        break;
      case 'queue':
        this.queue = SortQueue((frame.waiting ?? []).map(Received));
        this.queueTotal = frame.total ?? this.queue.length;
        for (const entry of this.queue) this.seenWaiting_.add(entry.conversation_id);
        break;
      case 'queue_changes':
        this.OnQueueChanges(frame);
        break;
      case 'assigned': {
        this.acceptsAsked_.delete(frame.conversation.id);
        this.nextAsked_ = false;
        this.dismissed_.delete(frame.conversation.id);
        const chat = this.Track(frame.conversation);
        chat.justAssigned = true;
        chat.assignedAt = frame.conversation.last_seq ?? 0;
        // A supervisor who watched it and took it over counsels it now.
        chat.monitoring = false;
        this.lastAssigned = frame.conversation.id;
        break;
      }
      case 'monitoring': {
        this.dismissed_.delete(frame.conversation.id);
        const watched = this.Track(frame.conversation);
        // Opened when the supervisor asked to watch it, not each time a reconnect follows it
        // again (that would pull them away from the chat they are reading).
        const asked = this.watchAsked_.delete(frame.conversation.id);
        if (asked) this.lastAssigned = frame.conversation.id;
        // A hand-over up to here is the conversation's past: the watch is of whoever holds it now.
        // Watching again after a reconnect, the watch began where it began: a hand-over since
        // (which the server ends the watch at) must not count as its past.
        if (asked || !watched.monitoring || watched.watchFrom === undefined) {
          watched.watchFrom = frame.conversation.last_seq ?? 0;
        }
        watched.monitoring = true;
        break;
      }
      case 'watched': {
        const chat = this.chats.get(frame.conversation_id);
        if (!chat) break;
        const watchers = new Set(chat.watchers);
        if (frame.watching) watchers.add(frame.by);
        else watchers.delete(frame.by);
        chat.watchers = [...watchers];
        break;
      }
      case 'message':
        this.OnMessage(frame.message);
        break;
      case 'typing':
        this.OnTyping(frame);
        break;
      case 'presence': {
        const chat = this.chats.get(frame.conversation_id);
        if (chat) chat.presence = { connected: frame.visitor === 'connected', at: frame.at };
        break;
      }
      case 'ack':
        this.retries_.delete(frame.client_id);
        this.chats.get(frame.conversation_id)?.log.Ack(frame.client_id, frame.seq, frame.created_at);
        break;
      case 'error':
        this.OnError(frame);
        break;
      default:
        break;
    }
  }

  // The window of the queue changed: who left it, who came in or changed, and the new total.
  OnQueueChanges(frame) {
    const gone = new Set([
      ...(frame.removed ?? []),
      ...[...(frame.added ?? []), ...(frame.changed ?? [])].map((entry) => entry.conversation_id),
    ]);
    const kept = this.queue.filter((entry) => !gone.has(entry.conversation_id));
    const fresh = [...(frame.added ?? []), ...(frame.changed ?? [])].map(Received);
    this.queue = SortQueue([...kept, ...fresh]);
    this.queueTotal = frame.total ?? this.queue.length;
    for (const entry of frame.added ?? []) {
      if (this.seenWaiting_.has(entry.conversation_id)) continue;
      this.seenWaiting_.add(entry.conversation_id);
      this.Alert({ kind: 'visitor', conversationId: entry.conversation_id });
    }
  }

  // What the server says about transfers now. An offer of mine that is gone while the
  // conversation is still mine was declined or not taken in time.
  OnOffers(frame) {
    const stillOffered = new Set((frame.from_me ?? []).map((offer) => offer.conversation_id));
    for (const offer of this.offersFromMe) {
      const chat = this.chats.get(offer.conversation_id);
      if (stillOffered.has(offer.conversation_id) || this.takenBack_.has(offer.conversation_id)) continue;
      if (!chat || chat.ended) continue;
      this.notice = t('transfer.notTaken', { name: offer.to.display_name });
    }
    for (const id of this.takenBack_) if (!stillOffered.has(id)) this.takenBack_.delete(id);
    const known = new Set(this.offersToMe.map((offer) => offer.conversation.id));
    for (const offer of frame.to_me ?? []) {
      if (!known.has(offer.conversation.id)) this.Alert({ kind: 'visitor', conversationId: offer.conversation.id });
    }
    this.offersToMe = frame.to_me ?? [];
    this.offersFromMe = frame.from_me ?? [];
  }

  // What the person at the desk asks for: when it cannot go now (no connection), the desk says
  // so at once instead of a click that does nothing.
  Ask(frame) {
    if (this.socket_.Send(frame)) return true;
    this.notice = t('desk.offline');
    this.Changed();
    return false;
  }

  // Offers a conversation of mine to colleague `to` (an account id), with a note for them.
  // False when it could not be sent (the form keeps what was typed).
  Transfer(conversationId, to, note) {
    this.notice = '';
    // A new offer: whether it lapses untaken is told again.
    this.takenBack_.delete(conversationId);
    return this.Ask({ type: 'transfer', conversation_id: conversationId, to, note });
  }

  // Asks the visitor's consent to hand them over to organisation `organisationId`.
  AskConsent(conversationId, organisationId) {
    this.notice = '';
    return this.Ask({
      type: 'ask_consent',
      conversation_id: conversationId,
      organisation_id: organisationId,
      client_id: `consent-${Date.now().toString(36)}`,
    });
  }

  // Hands one of my conversations back to the queue, for any colleague.
  Release(conversationId) {
    this.notice = '';
    this.Ask({ type: 'release', conversation_id: conversationId });
  }

  TakeTransfer(conversationId) {
    this.notice = '';
    if (this.Ask({ type: 'take_transfer', conversation_id: conversationId })) this.dismissed_.delete(conversationId);
  }

  // Declines an offer to me, or takes back one of mine.
  DeclineTransfer(conversationId) {
    if (!this.Ask({ type: 'decline_transfer', conversation_id: conversationId })) return;
    if (this.offersFromMe.some((offer) => offer.conversation_id === conversationId)) this.takenBack_.add(conversationId);
  }

  OfferedBy(conversationId) {
    return this.offersFromMe.find((offer) => offer.conversation_id === conversationId) ?? null;
  }

  OnWelcome(frame) {
    this.welcomed_ = true;
    this.retries_.clear();
    // Connected again: "no connection" no longer holds.
    if (this.notice === t('desk.offline')) this.notice = '';
    this.me = frame.me ?? null;
    if (frame.me?.availability) this.availability = frame.me.availability;
    // A new socket: answers to what the last one asked do not come.
    this.unwatchedAtHandOver_.clear();
    this.acceptsAsked_.clear();
    this.nextAsked_ = false;
    this.socket_.Healthy();
    // Assigned to this account: counselled, not watched (an `assigned` missed while away).
    for (const conversation of frame.active ?? []) {
      this.dismissed_.delete(conversation.id);
      const chat = this.Track(conversation);
      chat.monitoring = false;
      chat.assignedAt = conversation.last_seq ?? 0;
    }
    for (const chat of this.chats.values()) {
      if (chat.ended) continue;
      const id = chat.conversation.id;
      // What the last node said about the visitor may no longer hold (it may be gone with that
      // node); this node tells what it knows after the subscribe, or nothing.
      chat.presence = null;
      if (chat.monitoring) {
        this.socket_.Send({ type: 'monitor', conversation_id: id, last_seq: chat.log.LastSeq(), since: chat.watchFrom ?? 0 });
      } else {
        this.socket_.Send({ type: 'subscribe', conversation_id: id, last_seq: chat.log.LastSeq() });
      }
      chat.hold.Stop();
      for (const item of chat.log.Outbox()) this.socket_.Send(SendFrame(id, item));
      if (chat.endRequested) this.socket_.Send({ type: 'end', conversation_id: id });
    }
  }

  Track(conversation) {
    const existing = this.chats.get(conversation.id);
    if (existing) {
      existing.conversation = { ...existing.conversation, ...conversation };
      // Taken back from the queue.
      if (existing.released && conversation.status === 'active') {
        existing.ended = false;
        existing.released = false;
        existing.transferredTo = null;
        existing.watchers = [];
      }
      return existing;
    }
    const chat = {
      conversation,
      log: new ConversationLog({ side: 'counsellor' }),
      ended: conversation.status === 'ended',
      endedBy: null,
      endRequested: false,
      released: false,
      monitoring: false,
      watchers: [],
      handSeq: 0,
      unread: 0,
      knownSeq: conversation.last_seq ?? 0,
      // Messages refused for now, and the resend that holds the rest behind them.
      hold: new ResendHold(),
    };
    this.chats.set(conversation.id, chat);
    return chat;
  }

  OnMessage(message) {
    if (!message || typeof message.conversation_id !== 'string') return;
    if (!this.chats.has(message.conversation_id) && this.dismissed_.has(message.conversation_id)) return;
    // The replay after an accept may overtake its `assigned`; that fills in the details.
    const chat =
      this.chats.get(message.conversation_id) ??
      this.Track({ id: message.conversation_id, status: 'active', subject: 'self', nickname: '' });
    if (!chat.log.Receive(message)) return;
    if (message.kind === 'whisper' && !chat.monitoring && message.seq > chat.knownSeq) {
      chat.unread += 1;
      this.Alert({ kind: 'message', conversationId: message.conversation_id });
    }
    if (message.sender === 'visitor' && message.kind === 'text') {
      chat.visitorTyping = false;
      // Back through another node, which tells no presence here: writing is being there.
      if (chat.presence && !chat.presence.connected && message.created_at >= chat.presence.at) {
        chat.presence = { connected: true, at: message.created_at };
      }
      chat.unread += 1;
      // What the conversation held when the desk learnt of it is history, not news.
      if (message.seq > chat.knownSeq) {
        this.Alert({ kind: 'message', conversationId: message.conversation_id });
      }
    }
    // The latest of `accepted`, `released` and `transferred` says whose it is (a replay brings
    // them all). Taken over by a colleague: read-only here, as when handed back.
    const handing = ['released', 'accepted', 'transferred'];
    if (chat.monitoring) {
      // Handed back or taken over after the watch began: the watch ends with it (the server ends
      // it too; for a hand-over this socket read from the store, it is told here).
      const handedOn = message.kind === 'released' || message.kind === 'transferred';
      if (handedOn && message.seq > (chat.watchFrom ?? 0) && !chat.released) {
        this.MarkReleased(chat);
        chat.transferredTo = message.kind === 'transferred' ? message.author : null;
        if (this.welcomed_ && this.socket_.Send({ type: 'unmonitor', conversation_id: message.conversation_id })) {
          this.unwatchedAtHandOver_.add(message.conversation_id);
        }
      }
    } else if (handing.includes(message.kind) && message.seq > chat.handSeq) {
      chat.handSeq = message.seq;
      // Taken over after it was assigned here: only a colleague can take a chat of mine, whatever
      // their name (two may share one). Before that, the last hand-over in the replay was to me.
      const toColleague =
        message.kind === 'transferred' &&
        (chat.assignedAt !== undefined
          ? message.seq > chat.assignedAt
          : message.author !== this.me?.display_name);
      if (message.kind === 'released' || toColleague) {
        this.MarkReleased(chat);
        chat.transferredTo = toColleague ? message.author : null;
        // Said by an offers update that came first (from another node): the colleague took it.
        if (toColleague && this.notice === t('transfer.notTaken', { name: message.author })) this.notice = '';
      } else if (chat.released) {
        chat.ended = false;
        chat.released = false;
        chat.transferredTo = null;
      }
    }
    if (message.kind === 'ended') {
      chat.ended = true;
      chat.endedBy = message.sender;
      chat.conversation = { ...chat.conversation, status: 'ended' };
      this.FailOutbox(chat);
    }
  }

  // The visitor is typing: shown for a few seconds, or until their message comes.
  OnTyping(frame) {
    const chat = this.chats.get(frame.conversation_id);
    if (!chat || frame.from !== 'visitor') return;
    chat.visitorTyping = true;
    clearTimeout(chat.typingTimer);
    chat.typingTimer = setTimeout(() => {
      chat.visitorTyping = false;
      this.Changed();
    }, kTypingShownMs);
  }

  // The counsellor types in a conversation: the visitor sees so, at most every 2 s.
  Typing(conversationId) {
    const chat = this.chats.get(conversationId);
    const now = Date.now();
    if (!chat || chat.ended || !this.welcomed_ || now - (chat.typedAt ?? 0) < kTypingEveryMs) return;
    chat.typedAt = now;
    this.socket_.Send({ type: 'typing', conversation_id: conversationId });
  }

  // No longer this counsellor's: read-only, until they close it.
  MarkReleased(chat) {
    chat.ended = true;
    chat.released = true;
    // Whoever watched it watched the part that has ended here.
    chat.watchers = [];
    this.FailOutbox(chat);
  }

  OnError(frame) {
    // A transfer refused (the colleague is busy, it was taken already): said, nothing changes.
    if (frame.ref?.startsWith('transfer:')) {
      this.takenBack_.delete(frame.ref.slice('transfer:'.length));
      this.notice = t('transfer.refused', { why: frame.message ?? '' });
      return;
    }
    // An accept_next is answered without a ref.
    if (!frame.ref) this.nextAsked_ = false;
    for (const chat of this.chats.values()) {
      // Shown as not sent already (the chat ended or was handed on while it was being resent):
      // its own refusal, coming after, says nothing new.
      if (frame.ref && chat.log.HasFailed(frame.ref)) return;
      const item = frame.ref && chat.log.Outbox().find((o) => o.client_id === frame.ref);
      if (!item) continue;
      if (kRetryableSendErrors.has(frame.code)) this.ResendLater(chat, item, frame.retry_after);
      else if (kFinalSendErrors.has(frame.code)) this.FailItem(chat, frame.ref);
      return;
    }
    // An accept refused: the queue's notices below say why, whether or not the chat was on this
    // desk before (handed back, and taken by a colleague meanwhile).
    const acceptRefused = frame.ref !== undefined && this.acceptsAsked_.delete(frame.ref);
    const chat = frame.ref && !acceptRefused ? this.chats.get(frame.ref) : undefined;
    // The `unmonitor` after a hand-over, for a watch the server had ended already (also when
    // the hand-over was to this supervisor, who counsels the chat by now).
    if (frame.code === 'not_found' && this.unwatchedAtHandOver_.delete(frame.ref)) return;
    // Followed again after a reconnect and gone: the visitor ended it and asked to be forgotten.
    // What was not sent cannot go.
    if (chat && frame.code === 'not_found') {
      this.MarkEnded(chat);
      return;
    }
    // A watch the server could not record in the audit trail does not run (after a reconnect
    // too): its pane must not look live.
    if (chat && chat.monitoring && frame.code === 'unavailable') {
      this.chats.delete(chat.conversation.id);
      this.notice = t('desk.watchNotRecorded');
      return;
    }
    if (!chat && frame.code === 'unavailable' && this.watchAsked_.delete(frame.ref)) {
      this.notice = t('desk.watchNotRecorded');
      return;
    }
    // A watch asked for from a Team list older than the chat's end, or its return to the queue.
    if (!chat && frame.code === 'failed_precondition' && this.watchAsked_.delete(frame.ref)) {
      this.notice = t('desk.watchEnded');
      return;
    }
    // Subscribing to a conversation no longer ours: it went back to the queue while we were away.
    if (chat && frame.code === 'permission_denied') {
      this.MarkReleased(chat);
      return;
    }
    // A watch resumed after a reconnect, refused: the chat was handed over since, which ends a
    // watch (it has not ended). Watching it again starts a watch of whoever holds it now.
    if (chat && chat.monitoring && frame.code === 'failed_precondition') {
      this.MarkReleased(chat);
      return;
    }
    if (chat && frame.code === 'failed_precondition') {
      this.MarkEnded(chat);
      return;
    }
    // The server sends what this account is set to right before refusing an accept for it.
    const toldJustBefore = this.availabilityToldAt_ === this.frames_ - 1;
    if (frame.code === 'failed_precondition' && toldJustBefore && this.availability !== 'available') {
      this.notice = t('queue.notAvailable');
    } else if (frame.code === 'failed_precondition') this.notice = t('queue.taken');
    else if (frame.code === 'resource_exhausted') this.notice = t('queue.atCapacity');
    else if (frame.code === 'not_found' && !frame.ref) this.notice = t('queue.nobody');
    else if (frame.code === 'permission_denied') this.notice = t('error.permission');
    else this.notice = t('error.generic');
  }

  FailItem(chat, clientId) {
    this.retries_.delete(clientId);
    chat.log.Fail(clientId);
  }

  FailOutbox(chat) {
    chat.hold.Stop();
    for (const item of chat.log.Outbox()) this.FailItem(chat, item.client_id);
  }

  MarkEnded(chat) {
    chat.ended = true;
    chat.conversation = { ...chat.conversation, status: 'ended' };
    this.FailOutbox(chat);
  }

  // Sends a refused outbox item again after the pause the server asked for (or a default one),
  // together with everything after it in the chat's outbox, in order: until then nothing newly
  // typed in that chat goes out, so the visitor reads the messages as they were written. After
  // kMaxSendRetries refusals an item shows as failed. A reconnect ends the hold: the welcome sends
  // every outbox again.
  ResendLater(chat, item, retryAfterSeconds) {
    const retries = (this.retries_.get(item.client_id) ?? 0) + 1;
    if (retries > kMaxSendRetries) {
      this.FailItem(chat, item.client_id);
      return;
    }
    this.retries_.set(item.client_id, retries);
    const delay = retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : kRetryDelayMs;
    chat.hold.Refused(item.client_id, delay, () => chat.log.Outbox(), (items) => {
      if (!this.welcomed_ || this.chats.get(chat.conversation.id) !== chat) return;
      for (const o of items) this.socket_.Send(SendFrame(chat.conversation.id, o));
      if (chat.endRequested) this.socket_.Send({ type: 'end', conversation_id: chat.conversation.id });
    });
  }

  // "Help the next person": the server picks the most urgent; a second click before it answers
  // asks nothing more.
  AcceptNext() {
    this.notice = '';
    if (this.nextAsked_) return;
    if (this.Ask({ type: 'accept_next' })) this.nextAsked_ = true;
    this.Changed();
  }

  // Available takes new conversations, busy keeps its own, away hands them back to the queue.
  SetAvailability(availability) {
    this.Ask({ type: 'availability', availability });
  }

  // Sets a waiting conversation's urgency by hand (0 normal, 1 raised, 2 urgent); audited.
  Mark(conversationId, urgency) {
    this.Ask({ type: 'mark', conversation_id: conversationId, urgency });
  }

  Accept(conversationId) {
    this.notice = '';
    const held = this.chats.get(conversationId);
    // Mine already (a second click after the first was answered): it opens, rather than an
    // accept the server would refuse as no longer waiting.
    if (held && !held.ended && !held.monitoring) {
      this.lastAssigned = conversationId;
      this.Changed();
      return;
    }
    if (this.acceptsAsked_.has(conversationId)) return;
    if (this.Ask({ type: 'accept', conversation_id: conversationId })) {
      this.acceptsAsked_.add(conversationId);
      this.dismissed_.delete(conversationId);
    }
    this.Changed();
  }

  // `kind`: 'text' for the visitor; 'note' (internal) or 'whisper' (a supervisor to the
  // counsellor) for staff only.
  SendText(conversationId, body, kind = 'text') {
    const chat = this.chats.get(conversationId);
    if (!chat || chat.ended) return;
    const item = chat.log.Queue(body, kind);
    if (this.welcomed_ && !chat.hold.Holding()) this.socket_.Send(SendFrame(conversationId, item));
    this.Changed();
  }

  // A supervisor watches a live conversation silently; it opens like an accepted one.
  Monitor(conversationId) {
    this.notice = '';
    if (this.Ask({ type: 'monitor', conversation_id: conversationId, last_seq: 0 })) {
      this.watchAsked_.add(conversationId);
      this.dismissed_.delete(conversationId);
    }
    this.Changed();
  }

  StopMonitoring(conversationId) {
    const chat = this.chats.get(conversationId);
    if (!chat || !chat.monitoring) return;
    this.socket_.Send({ type: 'unmonitor', conversation_id: conversationId });
    this.chats.delete(conversationId);
    this.dismissed_.add(conversationId);
    this.Changed();
  }

  End(conversationId) {
    const chat = this.chats.get(conversationId);
    if (!chat || chat.ended) return;
    chat.endRequested = true;
    // Messages held behind a refused one go first; the resend sends the end after them.
    if (this.welcomed_ && !chat.hold.Holding()) this.socket_.Send({ type: 'end', conversation_id: conversationId });
    this.Changed();
  }

  MarkRead(conversationId) {
    const chat = this.chats.get(conversationId);
    if (chat && chat.unread) {
      chat.unread = 0;
      this.Changed();
    }
  }

  // Removes an ended conversation from the desk.
  Dismiss(conversationId) {
    const chat = this.chats.get(conversationId);
    if (chat && chat.ended) {
      this.chats.delete(conversationId);
      this.dismissed_.add(conversationId);
      this.Changed();
    }
  }
}
