// RealtimeSocket: one WebSocket to the server that reconnects by itself.
// - After each (re)connect it calls onOpen(socket), where the owner sends its `hello` (with the
//   last_seq it has) and, once welcomed, resends its outbox.
// - Reconnects with exponential back-off, capped at kMaxDelayMs, each wait a random point between
//   half and all of it (so clients cut off together do not return together); the owner calls
//   Healthy() once the server has welcomed it, and a connection that then lasts kStableMs
//   resets the back-off (one closed right after its welcome, a replay the server cannot read
//   say, must not bring every tab back twice a second).
// - A connection that has been silent for kSilenceMs, or has not opened within kOpenMs, is
//   presumed dead and replaced without waiting for its close event (a dead network delays that
//   by up to a minute, and a connect that hangs may never end); a ping every kPingMs keeps a
//   healthy one talking.
// - onState(state) reports 'connecting' (the first attempt), 'online' (after Healthy()) or
//   'offline' (from a lost or failed connection until the next welcome, however many attempts
//   that takes, so a screen reader hears one change rather than every attempt); each change
//   once.
// Stop() closes for good (chat ended, quick exit, sign-out).
// Also re-exports ConversationLog, so pages import the realtime client from one module.

export { ConversationLog } from './conversation-log.js';
import { t } from './i18n.js';

const kBaseDelayMs = 500;
const kMaxDelayMs = 10000;
const kPingMs = 15000;
const kSilenceMs = 40000;
const kOpenMs = 15000;
const kStableMs = 10000;

export function BackoffDelay(attempt, random = Math.random) {
  const ceiling = Math.min(kMaxDelayMs, kBaseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export class RealtimeSocket {
  constructor(path, { onOpen, onFrame, onState = () => {} }) {
    this.path_ = path;
    this.onOpen_ = onOpen;
    this.onFrame_ = onFrame;
    this.onState_ = onState;
    this.ws_ = null;
    this.attempt_ = 0;
    this.retryTimer_ = null;
    this.pingTimer_ = null;
    this.openTimer_ = null;
    this.lastHeard_ = 0;
    this.healthyAt_ = null;
    this.stopped_ = false;
    this.state_ = null;
    this.onNetworkBack_ = () => this.RetryNow();
    // The browser knows before the socket does: say so at once, drop the socket that can no
    // longer carry anything, and reconnect when the network is back.
    this.onNetworkGone_ = () => {
      if (!this.stopped_ && this.ws_) this.Abandon(this.ws_);
    };
  }

  Start() {
    this.stopped_ = false;
    window.addEventListener('online', this.onNetworkBack_);
    window.addEventListener('offline', this.onNetworkGone_);
    this.Connect();
  }

  // Sends `frame` when the socket is open; returns false when it is not (the owner keeps the
  // frame, e.g. in its outbox, and sends it after the next welcome).
  Send(frame) {
    if (!this.ws_ || this.ws_.readyState !== WebSocket.OPEN) return false;
    this.ws_.send(JSON.stringify(frame));
    return true;
  }

  Healthy() {
    this.healthyAt_ = Date.now();
    this.SetState('online');
  }

  SetState(state) {
    if (state === this.state_) return;
    this.state_ = state;
    this.onState_(state);
  }

  Stop() {
    this.stopped_ = true;
    window.removeEventListener('online', this.onNetworkBack_);
    window.removeEventListener('offline', this.onNetworkGone_);
    clearTimeout(this.retryTimer_);
    clearInterval(this.pingTimer_);
    clearTimeout(this.openTimer_);
    if (this.ws_) this.ws_.close(1000);
    this.ws_ = null;
  }

  Connect() {
    if (this.stopped_) return;
    if (this.state_ === null) this.SetState('connecting');
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${scheme}//${location.host}${this.path_}`);
    this.ws_ = ws;
    clearTimeout(this.openTimer_);
    this.openTimer_ = setTimeout(() => this.Abandon(ws), kOpenMs);
    ws.addEventListener('open', () => {
      clearTimeout(this.openTimer_);
      this.lastHeard_ = Date.now();
      this.StartPinging(ws);
      this.onOpen_(this);
    });
    ws.addEventListener('message', (event) => {
      this.lastHeard_ = Date.now();
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame && typeof frame.type === 'string' && frame.type !== 'pong') this.onFrame_(frame);
    });
    ws.addEventListener('close', () => this.Abandon(ws));
  }

  // Gives up on `ws`, the current socket (closed, dead or never opened), and reconnects after the
  // back-off.
  Abandon(ws) {
    if (this.ws_ !== ws) return;
    this.ws_ = null;
    clearInterval(this.pingTimer_);
    clearTimeout(this.openTimer_);
    ws.close();
    if (this.stopped_) return;
    if (this.healthyAt_ !== null && Date.now() - this.healthyAt_ >= kStableMs) this.attempt_ = 0;
    this.healthyAt_ = null;
    this.SetState('offline');
    clearTimeout(this.retryTimer_);
    this.retryTimer_ = setTimeout(() => this.Connect(), BackoffDelay(this.attempt_));
    this.attempt_ += 1;
  }

  StartPinging(ws) {
    clearInterval(this.pingTimer_);
    this.pingTimer_ = setInterval(() => {
      if (Date.now() - this.lastHeard_ > kSilenceMs) {
        this.Abandon(ws);
        return;
      }
      this.Send({ type: 'ping' });
    }, kPingMs);
  }

  // The browser says the network is back: skip the rest of the back-off.
  RetryNow() {
    if (this.stopped_ || this.ws_) return;
    clearTimeout(this.retryTimer_);
    this.Connect();
  }
}

// Shows the connection state in `element` (a role=status, aria-live region).
export function ShowConnectionState(element, state) {
  element.dataset.state = state;
  element.textContent = t(`conn.${state}`);
}
