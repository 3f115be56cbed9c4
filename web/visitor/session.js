// What the visitor's tab keeps, in sessionStorage only: the conversation id and resume token
// (the visitor's only credential) and the outbox of unacknowledged messages. Nothing goes to
// cookies or localStorage; quick exit forgets it all. Browsers give a closed tab its
// sessionStorage back when it is reopened ("reopen closed tab", tab restore): so a tab that was
// left (closed, or moved on to another site) and opened again more than kComeBackWithinMs
// later forgets what it kept of a chat (WatchLeaving), since by then someone else may hold the
// phone. A reload, or a tab closed by mistake and reopened at once, resumes the chat.

import { kLanguageStorageKey } from '../shared/i18n.js';
import { BlankPage, HasExited } from '../shared/quick-exit.js';

const kSessionKey = 'uitweg.visitor.session';
const kOutboxKey = 'uitweg.visitor.outbox';

function Read(key, fallback) {
  try {
    const raw = sessionStorage.getItem(key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

// Keeps `text` under `key`, unless the visitor has left by quick exit (which cleared all).
function Keep(key, text) {
  if (HasExited()) return;
  try {
    sessionStorage.setItem(key, text);
  } catch {
    // Storage disabled or full: the chat still works while the page stays open.
  }
}

function Write(key, value) {
  Keep(key, JSON.stringify(value));
}

// Returns {conversation_id, resume_token, pick_up_code?} or null.
export function LoadSession() {
  const session = Read(kSessionKey, null);
  if (!session || typeof session.resume_token !== 'string' || !session.resume_token) return null;
  return session;
}

// `pick_up_code`: of a message just left, kept until the visitor has seen it and goes on, so
// that a reload (or a tab the browser discarded meanwhile) shows it again: it is shown once.
export function SaveSession({ conversation_id, resume_token, pick_up_code }) {
  Write(kSessionKey, pick_up_code ? { conversation_id, resume_token, pick_up_code } : { conversation_id, resume_token });
}

// The outbox store for ConversationLog.
export const kOutboxStore = {
  Load() {
    const outbox = Read(kOutboxKey, []);
    return Array.isArray(outbox) ? outbox.filter((o) => o && o.client_id && o.body) : [];
  },
  Save(outbox) {
    Write(kOutboxKey, outbox);
  },
};

const kCampaignKey = 'uitweg.campaign';
const kSelfCheckKey = 'uitweg.selfcheck';
const kVisitedKey = 'uitweg.visited';
const kLeftAtKey = 'uitweg.left_at';
const kComeBackWithinMs = 2 * 60 * 1000;

// Clears what the tab kept of a chat; the visit's language, campaign code and the mark that the
// visit was counted stay.
export function ForgetChat() {
  try {
    const kept = [kLanguageStorageKey, kCampaignKey, kVisitedKey].map((key) => [
      key,
      sessionStorage.getItem(key),
    ]);
    sessionStorage.clear();
    for (const [key, value] of kept) if (value !== null) Keep(key, value);
  } catch {
    // Nothing was kept.
  }
}

// True the first time in this tab's visit (and whenever storage is off: then every page counts).
export function FirstVisitInTab() {
  try {
    if (sessionStorage.getItem(kVisitedKey)) return false;
    Keep(kVisitedKey, '1');
  } catch {
    // Without storage there is nothing to remember it by.
  }
  return true;
}

// The campaign code of the link this visit began with (/?c=code), or ''.
export function CampaignCode() {
  try {
    return sessionStorage.getItem(kCampaignKey) ?? '';
  } catch {
    return '';
  }
}

export function KeepCampaignCode(code) {
  if (!/^[a-z0-9][a-z0-9-]{1,39}$/.test(code)) return;
  Keep(kCampaignKey, code);
}

// A self-check's result the visitor chose to take into the chat, taken once; or ''.
export function TakeSelfCheckSummary() {
  try {
    const summary = sessionStorage.getItem(kSelfCheckKey) ?? '';
    sessionStorage.removeItem(kSelfCheckKey);
    return summary;
  } catch {
    return '';
  }
}

export function KeepSelfCheckSummary(summary) {
  Keep(kSelfCheckKey, summary);
}

// Forgets the chat if the tab was left longer ago than kComeBackWithinMs; true if it did.
function ForgetIfLeftLongAgo(now) {
  try {
    const leftAt = Number(sessionStorage.getItem(kLeftAtKey));
    sessionStorage.removeItem(kLeftAtKey);
    if (!leftAt || now - leftAt <= kComeBackWithinMs) return false;
  } catch {
    return false;
  }
  ForgetChat();
  return true;
}

// Set once a page shown again from the back-forward cache has judged the note and reloads: what
// it does until the reload (shown, then hidden) is no leaving nor coming back.
let reloading = false;

function NoteLeaving() {
  if (reloading) return;
  try {
    if (sessionStorage.getItem(kLeftAtKey) === null) Keep(kLeftAtKey, String(Date.now()));
  } catch {
    // Without storage nothing was kept to forget.
  }
}

// Every visitor page calls this as it starts, before it reads the session. The moment the page
// is hidden or left is noted (once: the first page of a visit that goes on elsewhere keeps it;
// a phone may close or kill a tab in the background without saying so). Shown again, the page
// takes the note back. The next page of the tab forgets the chat if the note is long ago —
// unless the browser says it only discarded the tab to save memory and loads it again now.
// A page the browser keeps for Back (its back-forward cache) is blanked as it is left and loads
// afresh when shown again: what it showed (a chat, a self-check's answers) may have been
// forgotten meanwhile, by a quick exit on another of our pages, say, and only a fresh load
// judges that from what the tab still keeps.
export function WatchLeaving() {
  if (document.wasDiscarded) {
    TakeBackLeaving();
  } else {
    ForgetIfLeftLongAgo(Date.now());
  }
  window.addEventListener('pagehide', (event) => {
    NoteLeaving();
    if (event.persisted) BlankPage();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') {
      NoteLeaving();
    } else {
      TakeBackLeaving();
    }
  });
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    BlankPage();
    ForgetIfLeftLongAgo(Date.now());
    reloading = true;
    location.reload();
  });
}

function TakeBackLeaving() {
  if (reloading) return;
  try {
    sessionStorage.removeItem(kLeftAtKey);
  } catch {
    // Nothing was noted.
  }
}
