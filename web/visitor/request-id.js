// RequestIds: the id the page gives a start or a message left, so that asking again after an
// answer that never came (a dropped connection, a server that stopped after storing it) finds
// what the first try made instead of making it twice. The id stays while the visitor asks for
// the same thing and is new once an answer came or what they typed changed; the tries of one id
// are counted, so that the server keeps the answer of the last. Kept in memory only: a reload
// forgets it, and nothing of it stays on the device.

const kRequestIdBytes = 16;
// As many tries of one id as the server takes; past them the request starts over.
const kMaxTries = 10000;

// 128 random bits in URL-safe base64, without padding: 22 characters.
export function NewRequestId(random = globalThis.crypto) {
  const bytes = new Uint8Array(kRequestIdBytes);
  random.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export class RequestIds {
  constructor(random = globalThis.crypto) {
    this.random_ = random;
    this.asked_ = null;
    this.id_ = null;
    this.tries_ = 0;
  }

  // The fields to send with a try of `what` (the fields the visitor filled in): the id of the
  // last try while they are the same, and the try's number.
  For(what) {
    const asked = JSON.stringify(what);
    if (asked !== this.asked_ || this.id_ === null || this.tries_ >= kMaxTries) {
      this.asked_ = asked;
      this.id_ = NewRequestId(this.random_);
      this.tries_ = 0;
    }
    this.tries_ += 1;
    return { request_id: this.id_, request_try: this.tries_ };
  }

  // The request was answered and done: the next one is another.
  Answered() {
    this.asked_ = null;
    this.id_ = null;
    this.tries_ = 0;
  }
}
