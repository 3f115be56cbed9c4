// What the visitor's tab keeps, in sessionStorage only: the conversation id and resume token
// (the visitor's only credential) and the outbox of unacknowledged messages. Nothing goes to
// cookies or localStorage; closing the tab or quick exit forgets it all.

import { kLanguageStorageKey } from '../shared/i18n.js';

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

function Write(key, value) {
  try {
    sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage disabled or full: the chat still works while the page stays open.
  }
}

// Returns {conversation_id, resume_token} or null.
export function LoadSession() {
  const session = Read(kSessionKey, null);
  if (!session || typeof session.resume_token !== 'string' || !session.resume_token) return null;
  return session;
}

export function SaveSession({ conversation_id, resume_token }) {
  Write(kSessionKey, { conversation_id, resume_token });
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

// Clears sessionStorage for a new chat; only a language the visitor chose is kept.
export function ForgetChat() {
  try {
    const language = sessionStorage.getItem(kLanguageStorageKey);
    sessionStorage.clear();
    if (language) sessionStorage.setItem(kLanguageStorageKey, language);
  } catch {
    // Nothing was kept.
  }
}
