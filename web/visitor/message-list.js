// Renders the entries of a ConversationLog into an <ol> for the visitor, updating it in place so
// a screen reader's live log announces only what is new. Text goes in through textContent.

import { ClockTime, t } from '../shared/i18n.js';
import { ConsentAnswer, ConsentOrganisation } from '../shared/consent.js';

function Key(entry) {
  return entry.client_id ? `${entry.sender}:${entry.client_id}` : `seq:${entry.seq}`;
}

function EventText(entry) {
  if (entry.kind === 'accepted') return t('chat.accepted', { name: entry.author || t('msg.counsellor') });
  if (entry.kind === 'released') return t('chat.released');
  if (entry.kind === 'transferred') return t('chat.transferred', { name: entry.author || t('msg.counsellor') });
  if (entry.sender === 'visitor') return t('chat.endedByVisitor');
  if (entry.sender === 'counsellor') return t('chat.endedByCounsellor');
  return t('chat.endedBySystem');
}

// The counsellor asks whether the visitor agrees to be put in touch with an organisation:
// two buttons until answered (`answer`: 'yes', 'no' or undefined).
function FillConsent(li, entry, answer, onConsent) {
  li.className = 'consent';
  // The answer replaces the buttons: if one of them had the keyboard, the answer takes it.
  const hadFocus = li.contains(document.activeElement);
  const question = document.createElement('p');
  question.textContent = t('consent.request', {
    name: entry.author || t('msg.counsellor'),
    organisation: ConsentOrganisation(entry.body),
  });
  li.replaceChildren(question);
  if (answer) {
    const said = document.createElement('p');
    said.className = 'meta';
    said.textContent = t(answer === 'yes' ? 'consent.answeredYes' : 'consent.answeredNo');
    li.append(said);
    if (hadFocus) {
      said.tabIndex = -1;
      said.focus();
    }
    return;
  }
  if (!onConsent) return;
  const actions = document.createElement('div');
  actions.className = 'actions';
  for (const [yes, key] of [[true, 'consent.yes'], [false, 'consent.no']]) {
    const button = document.createElement('button');
    button.type = 'button';
    if (yes) button.className = 'primary';
    button.textContent = t(key);
    button.addEventListener('click', () => onConsent(entry.seq, yes));
    actions.append(button);
  }
  li.append(actions);
}

function Fill(li, entry, answer, onConsent) {
  if (entry.kind === 'consent_request') return FillConsent(li, entry, answer, onConsent);
  if (entry.kind !== 'text') {
    li.className = 'event';
    SetText(li, EventText(entry));
    return;
  }
  FillText(li, entry);
}

// The part of `parent` with this class, made (last) when missing.
function Part(parent, tag, className) {
  let part = parent.querySelector(`:scope > .${className}`);
  if (!part) {
    part = document.createElement(tag);
    part.className = className;
    parent.append(part);
  }
  return part;
}

// Writes `text` only when it differs: a live region rewritten with the same words is read again.
export function SetText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

// A message, changed in place: the list is a live region, and a message replaced whole (when its
// ack comes, or the language changes) would be read out again.
function FillText(li, entry) {
  const mine = entry.sender === 'visitor';
  li.className = `msg${mine ? ' mine' : ''}${entry.failed ? ' failed' : ''}`;
  if (!li.querySelector(':scope > .body')) li.replaceChildren();
  const who = Part(li, 'span', 'who');
  SetText(Part(who, 'span', 'name'), mine ? t('msg.you') : entry.author || t('msg.counsellor'));
  if (entry.created_at) {
    const time = Part(who, 'time', 'time');
    time.dateTime = new Date(entry.created_at).toISOString();
    SetText(time, ` ${ClockTime(entry.created_at)}`);
  } else {
    who.querySelector(':scope > .time')?.remove();
  }
  const body = Part(li, 'p', 'body');
  // Right-to-left text on a left-to-right page (or the reverse) keeps its punctuation in place.
  body.dir = 'auto';
  SetText(body, entry.body);
  if (entry.pending || entry.failed) {
    SetText(Part(li, 'span', 'state'), entry.pending ? t('msg.pending') : t('msg.failed'));
  } else {
    li.querySelector(':scope > .state')?.remove();
  }
}

function Signature(entry) {
  return [entry.kind, entry.seq, entry.pending, entry.failed, entry.author, entry.created_at, entry.body].join('\u0000');
}

export class MessageList {
  // onConsent(requestSeq, yes): the visitor answered a consent request.
  constructor(list, scroller, onConsent = null) {
    this.list_ = list;
    this.scroller_ = scroller;
    this.onConsent_ = onConsent;
    this.items_ = new Map();
  }

  // force: redraw every item (after a language switch). `answers`: request seq -> 'yes'/'no'
  // for consent requests answered here and not yet back from the server.
  // `ended`: an unanswered request of an ended chat shows no buttons (nothing can be answered).
  Render(entries, force = false, answers = new Map(), ended = false) {
    const answered = new Map(answers);
    for (const entry of entries) {
      if (entry.kind !== 'consent_answer') continue;
      const { answer, seq } = ConsentAnswer(entry.body);
      answered.set(seq, answer);
    }
    // Answers are shown on their request; they have no line of their own.
    entries = entries.filter((entry) => entry.kind !== 'consent_answer');
    const nearBottom =
      this.scroller_.scrollHeight - this.scroller_.scrollTop - this.scroller_.clientHeight < 80;
    const keep = new Set();
    entries.forEach((entry, index) => {
      const key = Key(entry);
      keep.add(key);
      let item = this.items_.get(key);
      if (!item) {
        item = { li: document.createElement('li'), signature: '' };
        this.items_.set(key, item);
      }
      const answer = entry.kind === 'consent_request' ? answered.get(entry.seq) : undefined;
      const signature = `${Signature(entry)}\u0000${answer ?? ''}\u0000${ended}`;
      if (force || item.signature !== signature) {
        Fill(item.li, entry, answer, ended ? null : this.onConsent_);
        item.signature = signature;
      }
      if (this.list_.children[index] !== item.li) {
        this.list_.insertBefore(item.li, this.list_.children[index] ?? null);
      }
    });
    for (const [key, item] of this.items_) {
      if (!keep.has(key)) {
        item.li.remove();
        this.items_.delete(key);
      }
    }
    if (nearBottom) this.scroller_.scrollTop = this.scroller_.scrollHeight;
  }

  Clear() {
    this.list_.replaceChildren();
    this.items_.clear();
  }
}
