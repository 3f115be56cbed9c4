// ResendHold: the order of one conversation's sends when the server refuses one for now
// (`resource_exhausted`, `unavailable`). The refused item goes again after a pause, with
// everything after it in the outbox, in order; until then nothing newly typed goes out
// (Holding()), so that the other side reads the messages in the order they were written. A
// longer pause asked for meanwhile moves the resend; a shorter one does not. Stop() ends a hold
// (a reconnect resends the whole outbox anyway). Used by the visitor's page and the console.

export class ResendHold {
  constructor() {
    this.refused_ = new Set();
    this.timer_ = null;
    this.at_ = 0;
  }

  Holding() {
    return this.timer_ !== null;
  }

  // `client_id` was refused; it goes again in `delayMs` at the earliest. Then `outbox()` is read
  // and `resend(items)` gets its items from the first refused one on (all of them when that one
  // was acknowledged meanwhile: an earlier copy got through, and the server knows it by its
  // client_id; what was typed during the hold still goes).
  Refused(client_id, delayMs, outbox, resend) {
    this.refused_.add(client_id);
    const at = Date.now() + delayMs;
    if (this.timer_ !== null && at <= this.at_) return;
    clearTimeout(this.timer_);
    this.at_ = at;
    this.timer_ = setTimeout(() => {
      const items = outbox();
      const from = items.findIndex((item) => this.refused_.has(item.client_id));
      this.Stop();
      resend(items.slice(Math.max(from, 0)));
    }, delayMs);
  }

  Stop() {
    clearTimeout(this.timer_);
    this.timer_ = null;
    this.refused_.clear();
  }
}
