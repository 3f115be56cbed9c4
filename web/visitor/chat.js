// VisitorChat: the visitor's side of one conversation, from waiting in the queue to the end.
// It owns the visitor WebSocket (through RealtimeSocket), the ConversationLog with its outbox
// in sessionStorage, and the chat section of the page. Messages typed while the connection is
// down wait in the outbox, shown as "sending…", and go out after the next welcome.

import { t, OnLanguageChange, Plural, Say } from '../shared/i18n.js';
import { HasExited, OnQuickExit } from '../shared/quick-exit.js';
import { ConversationLog, RealtimeSocket, ShowConnectionState } from '../shared/realtime.js';
import { ConsentAnswer } from '../shared/consent.js';
import { MessageList, SetText } from './message-list.js';
import { ResendHold } from '../shared/resend-hold.js';
import { ForgetChat, kOutboxStore } from './session.js';

const kMaxBodyChars = 4000;
// Errors about one of our sends that resending cannot cure.
const kFinalSendErrors = new Set(['failed_precondition', 'invalid_argument', 'permission_denied']);
// Errors about one of our sends that a later try may not meet (rate limit, database away).
const kRetryableSendErrors = new Set(['resource_exhausted', 'unavailable', 'internal']);
const kRetryDelayMs = 2000;
// Tries of one message the server could not store (`unavailable`, `internal`), after which it
// shows as not sent. One refused as too many (`resource_exhausted`) waits however long it must.
const kMaxUnstoredTries = 5;
// How long an ended chat waits for the acks of messages already sent, which may come after the
// end (acks are not ordered with entries): then what is still unacknowledged shows as not sent.
const kLateAcksMs = 3000;
// A request to forget that the server could not note for now is asked again, this often.
const kForgetRetries = 3;
const kForgetRetryCodes = new Set(['unavailable', 'internal', 'deadline_exceeded', 'resource_exhausted']);
// An end the server could not make for now is asked again, this often, and then said.
const kEndRetries = 3;

const kTypingEveryMs = 2000;
const kTypingShownMs = 4000;

// "About 10 minutes", from the server's estimate. Without one nobody left the queue for an
// hour: "very busy" if others wait ahead, but first in a quiet queue is "you are next".
export function ExpectedWaitText(ms, position) {
  if (ms === null || ms === undefined) {
    // Not known where in the queue (a node that has not caught up yet): nothing to say.
    if (!(position > 0)) return '';
    return position === 1 ? t('waiting.next') : t('waiting.veryBusy');
  }
  const minutes = Math.round(ms / 60000);
  if (minutes < 1) return t('waiting.lessThanAMinute');
  return minutes === 1 ? t('waiting.aboutOneMinute') : Plural('waiting.aboutMinutes', minutes);
}

export class VisitorChat {
  // el: {connection, waiting, leftWaiting, queuePosition, log, messages, composer, message, composerError,
  //      typing, endChat, endConfirm, endQuestion, endYes, endNo, forgetChat, forgetStatus, ended,
  //      endedHeading, endedText}
  constructor(el) {
    this.el_ = el;
    this.list_ = new MessageList(el.messages, el.log, (seq, yes) => this.Consent(seq, yes));
    // Consent answers given here, by request seq, until the server's entry shows them.
    this.consents_ = new Map();
    // The request seqs whose answer from this socket the server acknowledged: its entry does not
    // come back on the socket that sent it.
    this.consentsAcked_ = new Set();
    this.socket_ = null;
    this.log_ = null;
    this.status_ = 'waiting';
    this.offline_ = false;
    this.queuePosition_ = null;
    this.expectedWait_ = null;
    this.welcomed_ = false;
    this.endRequested_ = false;
    this.finishing_ = false;
    clearTimeout(this.finishTimer_);
    // The visitor asked that the conversation be deleted when it ends; the server has noted it.
    this.forgetRequested_ = false;
    this.forgetNoted_ = false;
    this.forgetFailed_ = false;
    this.forgetRetries_ = 0;
    this.feedbackGiven_ = false;
    this.lost_ = false;
    this.connectionState_ = 'connecting';
    // Messages the server refused for now (its rate limit, the database away) wait to go again,
    // and what is typed meanwhile waits behind them so as not to overtake them.
    this.hold_ = new ResendHold();
    this.unstored_ = new Map();  // client_id -> refusals that it could not be stored

    el.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      this.SendTyped();
    });
    el.message.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.SendTyped();
      }
    });
    // The counsellor sees that something is being typed, never what: at most every 2 s.
    el.message.addEventListener('input', () => {
      const now = Date.now();
      if (!this.welcomed_ || this.status_ !== 'active' || now - this.typedAt_ < kTypingEveryMs) return;
      this.typedAt_ = now;
      this.socket_.Send({ type: 'typing' });
    });
    this.typedAt_ = 0;
    this.typingTimer_ = null;
    // Ending is asked twice: a chat ended by a slip of the finger cannot be taken back.
    el.endChat.addEventListener('click', () => {
      el.endConfirm.hidden = false;
      el.endQuestion.focus();
    });
    el.endNo.addEventListener('click', () => {
      el.endConfirm.hidden = true;
      el.endChat.focus();
    });
    // Both buttons go away once used: the keyboard moves on to what stays, not to the page.
    el.endYes.addEventListener('click', () => {
      el.endConfirm.hidden = true;
      el.endChat.focus();
      this.End();
    });
    el.forgetChat.addEventListener('click', () => {
      this.Forget();
      el.endChat.focus();
    });
    OnLanguageChange(() => this.Render(true));
    OnQuickExit(() => this.Close());
  }

  // Starts (or resumes) the conversation of `session` ({conversation_id, resume_token}).
  Begin(session) {
    // An answer that came in after quick exit began opens nothing.
    if (HasExited()) return;
    this.session_ = session;
    this.consents_ = new Map();
    this.consentsAcked_ = new Set();
    // A new chat in the same tab starts without what the last one left.
    this.feedbackGiven_ = false;
    this.abandoned_ = false;
    this.slowedDown_ = false;
    // A wait for the last chat's late acks must not reach into this one.
    this.finishing_ = false;
    this.Close();
    this.list_.Clear();
    this.log_ = new ConversationLog({ side: 'visitor', store: kOutboxStore, ordered: true });
    this.status_ = 'waiting';
    this.offline_ = false;
    this.queuePosition_ = null;
    this.expectedWait_ = null;
    // The conversation's last seq when the last welcome was written: its status and place
    // already reflect the entries up to it, which the replay then brings.
    this.welcomeSeq_ = 0;
    this.endRequested_ = false;
    this.endRetries_ = 0;
    this.endTimer_ = null;
    // The visitor asked that the conversation be deleted when it ends; the server has noted it.
    this.forgetRequested_ = false;
    this.forgetNoted_ = false;
    this.forgetFailed_ = false;
    this.forgetRetries_ = 0;
    this.lost_ = false;
    // Nothing of the last chat's composer stays: an "End chat?" still asked would end this one.
    this.el_.endConfirm.hidden = true;
    Say(this.el_.composerError);
    clearTimeout(this.typingTimer_);
    this.el_.typing.textContent = '';
    this.socket_ = new RealtimeSocket('/api/v1/visitor/ws', {
      onOpen: (socket) => {
        this.welcomed_ = false;
        socket.Send({ type: 'hello', resume_token: session.resume_token, last_seq: this.log_.LastSeq() });
      },
      onFrame: (frame) => this.OnFrame(frame),
      onState: (state) => {
        if (state !== 'online') this.welcomed_ = false;
        this.connectionState_ = state;
        ShowConnectionState(this.el_.connection, state);
      },
    });
    this.socket_.Start();
    this.Render();
  }

  Close() {
    clearTimeout(this.finishTimer_);
    clearTimeout(this.endTimer_);
    if (this.socket_) this.socket_.Stop();
    this.socket_ = null;
    this.welcomed_ = false;
    this.hold_.Stop();
  }

  OnFrame(frame) {
    switch (frame.type) {
      case 'welcome':
        this.OnWelcome(frame);
        break;
      case 'message':
        if (frame.message && this.log_.Receive(frame.message)) this.OnEntry(frame.message);
        if (frame.message?.sender === 'counsellor') this.el_.typing.textContent = '';
        break;
      case 'ack': {
        const consent = this.ConsentOf(frame.client_id);
        if (consent !== undefined) this.consentsAcked_.add(consent);
        this.log_.Ack(frame.client_id, frame.seq, frame.created_at);
        this.unstored_.delete(frame.client_id);
        if (this.Settled()) this.CloseFinished();
        if (this.slowedDown_) {
          this.slowedDown_ = false;
          Say(this.el_.composerError);
        }
        break;
      }
      case 'queue':
        this.queuePosition_ = frame.queue_position;
        this.expectedWait_ = frame.expected_wait_ms ?? null;
        break;
      case 'forget_noted':
        this.forgetNoted_ = true;
        if (this.Settled()) this.CloseFinished();
        break;
      case 'typing':
        this.ShowTyping();
        return;
      case 'error':
        this.OnError(frame);
        break;
      default:
        return;
    }
    this.Render();
  }

  OnWelcome(frame) {
    this.welcomed_ = true;
    this.socket_.Healthy();
    this.status_ = frame.conversation?.status ?? this.status_;
    this.offline_ = frame.conversation?.offline === true;
    this.queuePosition_ = frame.queue_position ?? null;
    this.expectedWait_ = frame.expected_wait_ms ?? null;
    this.welcomeSeq_ = frame.conversation?.last_seq ?? 0;
    // Asked for while the connection was down: it goes now, also for a chat that ended meanwhile.
    if (this.ForgetPending()) this.socket_.Send({ type: 'forget' });
    if (this.status_ === 'ended') {
      // The replay that follows carries the `ended` entry unless we have it already. Nothing was
      // sent on this connection, so no ack is to be waited for.
      if (this.log_.LastSeq() >= (frame.conversation?.last_seq ?? 0)) this.Finish(false);
      return;
    }
    // The whole outbox goes, in order: what was held back for a refusal goes with it.
    this.hold_.Stop();
    for (const item of this.log_.Outbox()) this.SendItem(item);
    // An answer whose entry has not come back may never have reached the server: it goes again
    // under the same client_id, so one that did is acknowledged as a duplicate.
    const stored = this.StoredConsents();
    for (const [requestSeq, answer] of this.consents_) {
      if (!stored.has(requestSeq)) this.SendConsent(requestSeq, answer);
    }
    // The welcome asks again for an end not made yet: a retry planned on the last socket is moot.
    clearTimeout(this.endTimer_);
    if (this.endRequested_) this.socket_.Send({ type: 'end' });
  }

  OnEntry(message) {
    // Taken and handed back before the welcome: its status and place say where things stand.
    const replayed = message.seq <= this.welcomeSeq_;
    if (message.kind === 'accepted' && this.status_ === 'waiting' && !replayed) this.status_ = 'active';
    // The counsellor had to leave: back in the queue, everything kept. The server tells the place
    // anew at a hand-back, before this entry or after it; the last one told shows until then.
    if (message.kind === 'released' && this.status_ === 'active' && !replayed) this.status_ = 'waiting';
    if (message.kind === 'ended') {
      // The server ends a chat by itself only when the visitor was away from the queue too long.
      this.abandoned_ = message.sender === 'system';
      this.Finish();
    }
  }

  // The conversation is over: nothing more will be sent or received. The tab forgets it (a
  // reload shows the home page); the words stay on screen until the visitor leaves the page.
  // Messages sent just before the end may still be acknowledged: unless `waitForAcks` is false,
  // the socket waits for that.
  Finish(waitForAcks = true) {
    if (this.status_ === 'ended' && this.finishing_) return;
    this.status_ = 'ended';
    this.finishing_ = true;
    // What was typed and never sent would wait, hidden, in the page.
    this.el_.message.value = '';
    this.log_.StopStoring();
    ForgetChat();
    const waiting =
      this.welcomed_ && ((waitForAcks && this.log_.Outbox().length > 0) || this.ForgetPending());
    if (!waiting) {
      this.CloseFinished();
      return;
    }
    this.finishTimer_ = setTimeout(() => {
      this.CloseFinished();
      if (!HasExited()) this.Render();
    }, kLateAcksMs);
  }

  // Ends the wait for late acks: what is still unacknowledged was not sent.
  CloseFinished() {
    clearTimeout(this.finishTimer_);
    for (const item of this.log_.Outbox()) this.log_.Fail(item.client_id);
    this.Close();
  }

  // The resume token of the conversation shown, kept in memory after the tab forgot it: the
  // questions after the chat are answered with it.
  ResumeToken() {
    return this.session_?.resume_token ?? '';
  }

  // Whether the conversation shown began as a message left (it has a pick-up code).
  WasLeft() {
    return this.offline_;
  }

  // The server could not note the request to forget: asked again a few times while the socket
  // is open (also after the end, when there is no button to ask with), then said.
  OnForgetError(frame) {
    if (kForgetRetryCodes.has(frame.code) && this.forgetRetries_ < kForgetRetries) {
      this.forgetRetries_ += 1;
      clearTimeout(this.finishTimer_);
      this.finishTimer_ = setTimeout(() => {
        if (this.welcomed_ && this.ForgetPending()) this.socket_.Send({ type: 'forget' });
        if (this.status_ !== 'ended') return;
        this.finishTimer_ = setTimeout(() => {
          this.CloseFinished();
          if (!HasExited()) this.Render();
        }, kLateAcksMs);
      }, kRetryDelayMs);
      return;
    }
    this.forgetRequested_ = false;
    this.forgetFailed_ = true;
    if (this.Settled()) this.CloseFinished();
  }

  // Whether the visitor asked that the chat be forgotten and the server has not yet said so.
  ForgetPending() {
    return this.forgetRequested_ && !this.forgetNoted_;
  }

  // The chat has ended and nothing more is owed on this socket.
  Settled() {
    return this.status_ === 'ended' && this.log_.Outbox().length === 0 && !this.ForgetPending();
  }

  OnError(frame) {
    if (frame.ref === 'end' && kForgetRetryCodes.has(frame.code)) {
      this.OnEndError();
      return;
    }
    if (frame.ref === 'forget') {
      this.OnForgetError(frame);
      return;
    }
    const consent = this.ConsentOf(frame.ref);
    if (consent !== undefined) {
      this.OnConsentError(consent, frame);
      return;
    }
    if (frame.ref && kFinalSendErrors.has(frame.code) && this.log_.Fail(frame.ref)) {
      if (this.Settled()) this.CloseFinished();
      return;
    }
    const queued = this.log_.Outbox().some((item) => item.client_id === frame.ref);
    if (queued && kRetryableSendErrors.has(frame.code)) {
      if (frame.code !== 'resource_exhausted') {
        const tries = (this.unstored_.get(frame.ref) ?? 0) + 1;
        this.unstored_.set(frame.ref, tries);
        if (tries > kMaxUnstoredTries) {
          this.unstored_.delete(frame.ref);
          this.log_.Fail(frame.ref);
          if (this.Settled()) this.CloseFinished();
          return;
        }
      }
      if (frame.code === 'resource_exhausted') {
        this.slowedDown_ = true;
        Say(this.el_.composerError, this.status_ === 'waiting' ? 'chat.waitForCounsellor' : 'chat.slowDown');
      }
      this.ResendLater(frame.ref, (frame.retry_after ?? 0) * 1000);
      return;
    }
    if (frame.code === 'failed_precondition' && this.status_ !== 'ended') {
      this.Finish();
      return;
    }
    // The server does not know our token (any more), or refuses our hello: resuming is over.
    if (frame.code === 'unauthenticated' || (!this.welcomed_ && frame.code === 'invalid_argument')) {
      this.lost_ = true;
      this.Finish();
    }
  }

  // Sends a refused outbox item again after a pause (at least `wait_ms`), with what follows it
  // (ResendHold). Without a welcome by then, the next one sends all.
  ResendLater(client_id, wait_ms = 0) {
    this.hold_.Refused(client_id, Math.max(kRetryDelayMs, wait_ms), () => this.log_.Outbox(), (items) => {
      if (!this.welcomed_) return;
      for (const item of items) this.SendItem(item);
    });
  }

  SendTyped() {
    if (this.status_ === 'ended') return;
    const body = this.el_.message.value.trim();
    if (!body) return;
    if ([...body].length > kMaxBodyChars) {
      Say(this.el_.composerError, 'chat.tooLong');
      return;
    }
    Say(this.el_.composerError);
    this.el_.message.value = '';
    const item = this.log_.Queue(body);
    if (this.welcomed_ && !this.hold_.Holding()) this.SendItem(item);
    this.Render();
  }

  SendItem(item) {
    this.socket_.Send({ type: 'send', client_id: item.client_id, body: item.body });
  }

  // Asks that the conversation be deleted for good as soon as it ends.
  // "The counsellor is typing…" until a message comes or a few seconds pass.
  ShowTyping() {
    // Said again every 2 s while the counsellor types: written only when it changes.
    SetText(this.el_.typing, t('chat.counsellorTyping'));
    clearTimeout(this.typingTimer_);
    this.typingTimer_ = setTimeout(() => {
      this.el_.typing.textContent = '';
    }, kTypingShownMs);
  }

  Forget() {
    if (this.status_ === 'ended' || this.forgetRequested_) return;
    this.forgetRequested_ = true;
    this.forgetFailed_ = false;
    this.forgetRetries_ = 0;
    if (this.welcomed_) this.socket_.Send({ type: 'forget' });
    this.Render();
  }

  End() {
    if (this.status_ === 'ended') return;
    this.endRequested_ = true;
    this.endRetries_ = 0;
    Say(this.el_.composerError);
    if (this.welcomed_) this.socket_.Send({ type: 'end' });
  }

  // The server could not end the chat for now: asked again a few times, then said, so that the
  // visitor does not believe it ended (a reconnect meanwhile asks again by itself).
  OnEndError() {
    if (!this.endRequested_ || this.status_ === 'ended') return;
    if (this.endRetries_ < kEndRetries) {
      this.endRetries_ += 1;
      clearTimeout(this.endTimer_);
      this.endTimer_ = setTimeout(() => {
        if (this.welcomed_ && this.endRequested_ && this.status_ !== 'ended') this.socket_.Send({ type: 'end' });
      }, kRetryDelayMs);
      return;
    }
    this.endRequested_ = false;
    Say(this.el_.composerError, 'chat.endFailed');
  }

  // The visitor answers a consent request with a button; the answer is an entry of the chat.
  // Given while the connection is down, it goes out after the next welcome.
  Consent(requestSeq, yes) {
    if (this.status_ === 'ended' || this.consents_.has(requestSeq)) return;
    const answer = yes ? 'yes' : 'no';
    this.consents_.set(requestSeq, answer);
    if (this.welcomed_) this.SendConsent(requestSeq, answer);
    this.Render();
  }

  // The request seq of a consent answer, from the client_id of the frame that carried it;
  // undefined for anything else.
  ConsentOf(ref) {
    const match = /^consent-(\d+)$/.exec(ref ?? '');
    return match ? Number(match[1]) : undefined;
  }

  // The request seqs whose answer the server has stored: acknowledged, or come back as an entry.
  StoredConsents() {
    return new Set([
      ...this.consentsAcked_,
      ...this.log_
        .Entries()
        .filter((entry) => entry.kind === 'consent_answer')
        .map((entry) => ConsentAnswer(entry.body).seq),
    ]);
  }

  // A consent answer the server could not take now goes again after the pause; one it refuses
  // for good is forgotten here, so that the question shows as the chat has it.
  OnConsentError(requestSeq, frame) {
    // A further copy's answer, once the first has been forgotten.
    if (!this.consents_.has(requestSeq)) return;
    if (!kRetryableSendErrors.has(frame.code)) {
      this.consents_.delete(requestSeq);
      return;
    }
    const consents = this.consents_;
    setTimeout(
      () => {
        const gone = consents !== this.consents_ || !consents.has(requestSeq);
        if (!this.welcomed_ || gone || this.StoredConsents().has(requestSeq)) return;
        this.SendConsent(requestSeq, consents.get(requestSeq));
      },
      Math.max(kRetryDelayMs, (frame.retry_after ?? 0) * 1000),
    );
  }

  SendConsent(requestSeq, answer) {
    this.socket_.Send({ type: 'consent', client_id: `consent-${requestSeq}`, request_seq: requestSeq, answer });
  }

  // The visitor answered the questions after the chat: they are not asked again.
  FeedbackGiven() {
    this.feedbackGiven_ = true;
    this.Render();
  }

  Render(force = false) {
    if (!this.log_) return;
    const el = this.el_;
    const ended = this.status_ === 'ended';
    // A message left waits for an answer, not in the live queue.
    el.waiting.hidden = this.status_ !== 'waiting' || this.offline_;
    el.leftWaiting.hidden = this.status_ !== 'waiting' || !this.offline_;
    const place =
      this.queuePosition_ > 0 ? t('waiting.position', { n: this.queuePosition_ }) : t('waiting.unknown');
    // Live regions: written only when their text changes, or a screen reader reads them again.
    SetText(el.queuePosition, `${place} ${ExpectedWaitText(this.expectedWait_, this.queuePosition_)}`.trim());
    if (force) ShowConnectionState(el.connection, this.connectionState_);
    el.connection.hidden = ended;
    el.composer.hidden = ended;
    el.forgetChat.hidden = this.forgetRequested_;
    SetText(
      el.forgetStatus,
      this.forgetNoted_ ? t('chat.forgetNoted') : this.forgetFailed_ ? t('chat.forgetFailed') : '',
    );
    const wasHidden = el.ended.hidden;
    el.ended.hidden = !ended;
    // Not after a lost chat, nor one the visitor asked us to forget (its token is gone).
    el.feedback.hidden = !ended || this.lost_ || this.forgetRequested_ || this.feedbackGiven_;
    el.endedText.textContent = this.lost_
      ? t('chat.lost')
      : this.abandoned_
        ? t('ended.abandoned')
        : this.forgetNoted_
          ? `${t('ended.text')} ${t('ended.forgotten')}`
          : this.forgetFailed_
            ? `${t('ended.text')} ${t('ended.notForgotten')}`
            : t('ended.text');
    this.list_.Render(this.log_.Entries(), force, this.consents_, ended);
    if (ended && wasHidden) {
      el.onEnded?.();
      el.endedHeading.focus();
    }
  }
}
