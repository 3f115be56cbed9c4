// ConversationLog: what one side of one conversation has seen and still has to send.
// - Entries are kept by seq; a message whose seq is already there is dropped, so the
//   at-least-once delivery of the server never shows anything twice.
// - LastSeq() is the highest seq up to which nothing is missing: the `last_seq` a resuming
//   client asks the server to replay after. One connection brings the entries after the
//   `last_seq` it asked for in seq order, passing over only what is not for this side and this
//   socket's own sends (acknowledged instead, or still in the outbox). A log made `ordered`
//   (every message it receives comes over a connection opened at its LastSeq()) lets a received
//   message move LastSeq() past such gaps, so that a reconnect does not replay all that follows
//   a note. The visitor's page, whose one log is fed from its start, is ordered; the console,
//   which may make a log from a message in mid-stream, is not.
// - The outbox holds sends that the server has not acknowledged yet, each with its own random
//   client_id, in the order they were typed. Ack() removes one; Outbox() lists them for a resend
//   after reconnecting. With a `store` ({Load(), Save(outbox)}) the outbox survives a page load.
// - Fail() shows an item as not sent. The server's word wins over a guess: an item failed
//   because the chat ended before its ack came (acks are not ordered with messages) is shown
//   as sent when its ack or its entry comes after all.
// No I/O apart from the store; safe to use from tests without a browser.

const kClientIdBytes = 16;

export function NewClientId(random = globalThis.crypto) {
  const bytes = new Uint8Array(kClientIdBytes);
  random.getRandomValues(bytes);
  return 'm-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class ConversationLog {
  // side: 'visitor' or 'counsellor', the sender this client writes as.
  constructor({ side, store = null, random = globalThis.crypto, ordered = false }) {
    this.side_ = side;
    this.ordered_ = ordered;
    this.store_ = store;
    this.random_ = random;
    this.entries_ = new Map();
    this.watermark_ = 0;
    this.outbox_ = store ? [...store.Load()] : [];
    this.failed_ = [];
  }

  LastSeq() {
    return this.watermark_;
  }

  // Takes a Message from the server. Returns true when the page should show something new.
  Receive(message) {
    if (this.ordered_) this.watermark_ = Math.max(this.watermark_, message.seq);
    if (this.entries_.has(message.seq)) return false;
    this.entries_.set(message.seq, { ...message });
    this.AdvanceWatermark();
    if (message.client_id && message.sender === this.side_) {
      this.RemoveFromOutbox(message.client_id);
      this.RemoveFromFailed(message.client_id);
    }
    return true;
  }

  // Queues a text typed by this side and returns the outbox item to send. Staff may queue a
  // `note` or a `whisper` instead (never sent to the visitor).
  Queue(body, kind = 'text') {
    const item = { client_id: NewClientId(this.random_), body, kind };
    this.outbox_.push(item);
    this.Persist();
    return item;
  }

  // The server committed `client_id` as `seq` at `created_at`. The sending socket gets no
  // `message` of its own send: the ack and the outbox item make the entry, with the body as the
  // server stores it (trimmed of surrounding white space).
  Ack(client_id, seq, created_at) {
    const item =
      this.outbox_.find((o) => o.client_id === client_id) ??
      this.failed_.find((o) => o.client_id === client_id);
    this.RemoveFromOutbox(client_id);
    this.RemoveFromFailed(client_id);
    if (!item || this.entries_.has(seq)) return item !== undefined;
    this.entries_.set(seq, {
      seq,
      kind: item.kind ?? 'text',
      sender: this.side_,
      client_id,
      body: item.body.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, ''),
      created_at,
    });
    this.AdvanceWatermark();
    return true;
  }

  // The server refused `client_id` for good (e.g. the chat ended): stop resending it and show
  // it as not sent.
  Fail(client_id) {
    const item = this.outbox_.find((o) => o.client_id === client_id);
    if (!item) return false;
    this.RemoveFromOutbox(client_id);
    this.failed_.push(item);
    return true;
  }

  Outbox() {
    return [...this.outbox_];
  }

  // Whether `client_id` is shown as not sent.
  HasFailed(client_id) {
    return this.failed_.some((o) => o.client_id === client_id);
  }

  // From now on the outbox is kept in memory only: the tab forgot the conversation, and a late
  // ack must not write it back.
  StopStoring() {
    this.store_ = null;
  }

  // What to show: committed entries in seq order, then unsent ones ("pending") and refused ones.
  Entries() {
    const committed = [...this.entries_.values()].sort((a, b) => a.seq - b.seq);
    const pending = this.outbox_.map((o) => ({ kind: 'text', ...o, sender: this.side_, pending: true }));
    const failed = this.failed_.map((o) => ({ kind: 'text', ...o, sender: this.side_, failed: true }));
    return [...committed, ...pending, ...failed];
  }

  AdvanceWatermark() {
    while (this.entries_.has(this.watermark_ + 1)) this.watermark_ += 1;
  }

  RemoveFromFailed(client_id) {
    this.failed_ = this.failed_.filter((o) => o.client_id !== client_id);
  }

  RemoveFromOutbox(client_id) {
    const before = this.outbox_.length;
    this.outbox_ = this.outbox_.filter((o) => o.client_id !== client_id);
    if (this.outbox_.length !== before) this.Persist();
  }

  Persist() {
    if (this.store_) this.store_.Save(this.outbox_);
  }
}
