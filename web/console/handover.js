// Handover to offline help, in a conversation pane: the counsellor picks an organisation from
// the directory and asks the visitor's consent (the visitor answers with a button in the chat);
// after a yes, the counsellor records what was agreed and the contact details the visitor chose
// to give, sealed in the conversation for staff only. The referral's status is followed under
// "Referrals" (referrals.js).

import { html, useEffect, useState } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';
import { Organisations, Refer } from './api.js';
import { ConsentAnswer, ConsentOrganisation } from '../shared/consent.js';

// Each consent request of the conversation with the visitor's answer (if any) and whether a
// referral was recorded for it.
function Requests(entries) {
  const requests = new Map();
  for (const entry of entries) {
    if (entry.kind === 'consent_request' && entry.seq) {
      requests.set(entry.seq, { seq: entry.seq, organisation: ConsentOrganisation(entry.body), answer: null, referred: false });
    }
  }
  for (const entry of entries) {
    if (entry.kind === 'consent_answer') {
      const { answer, seq } = ConsentAnswer(entry.body);
      const request = requests.get(seq);
      if (request) request.answer = answer;
    }
    if (entry.kind === 'referral' && entry.client_id?.startsWith('referral-')) {
      const request = requests.get(Number(entry.client_id.slice('referral-'.length)));
      if (request) request.referred = true;
    }
  }
  return [...requests.values()];
}

// What was typed into a referral form, by conversation and request: the form is drawn anew when
// the chat ends (a visitor may leave right after saying yes), and must not lose it. It holds a
// visitor's contact details: gone when the chat is closed or the member signs out.
const drafts = new Map();
// The requests whose referral the server confirmed here, by the same key: its entry may never
// come back over the socket (one that reconnected after the chat ended no longer follows it),
// and the form must not stay as if nothing were recorded.
const recorded = new Set();

// Forgets the drafts of one conversation, or without one, all (and what was recorded).
export function ForgetReferralDrafts(conversationId) {
  for (const kept of [drafts, recorded]) {
    for (const key of [...kept.keys()]) {
      if (conversationId === undefined || key.startsWith(`${conversationId}:`)) kept.delete(key);
    }
  }
}

function ReferralForm({ chat, request, name, onRecorded }) {
  const id = chat.conversation.id;
  const draftKey = `${id}:${request.seq}`;
  const draft = drafts.get(draftKey) ?? { agreed: '', contact: '' };
  const [agreed, setAgreedState] = useState(draft.agreed);
  const [contact, setContactState] = useState(draft.contact);
  const keep = (change) => drafts.set(draftKey, { ...(drafts.get(draftKey) ?? draft), ...change });
  const setAgreed = (value) => {
    keep({ agreed: value });
    setAgreedState(value);
  };
  const setContact = (value) => {
    keep({ contact: value });
    setContactState(value);
  };
  const [error, setError] = useState('');
  // Until the answer: the form stays until the referral's entry comes back over the socket.
  const [busy, setBusy] = useState(false);
  const save = async (event) => {
    event.preventDefault();
    if (busy) return;
    setError('');
    if (!agreed.trim()) return setError(t('handover.agreedMissing'));
    setBusy(true);
    try {
      await Refer(id, request.seq, agreed.trim(), contact.trim());
      drafts.delete(draftKey);
      recorded.add(draftKey);
      onRecorded();
    } catch (failure) {
      setError(failure.status === 400 || failure.status === 409 ? `${t('handover.refused')} ${failure.message}` : t('handover.failed'));
      setBusy(false);
    }
  };
  return html`
    <form class="referral" onSubmit=${save} aria-label=${t('handover.referralFor', { organisation: request.organisation, name })}>
      <p><strong>${t('handover.referralFor', { organisation: request.organisation, name })}</strong></p>
      <label for=${`agreed-${id}-${request.seq}`}>${t('handover.agreed')}</label>
      <textarea id=${`agreed-${id}-${request.seq}`} rows="2" value=${agreed}
                onInput=${(e) => setAgreed(e.currentTarget.value)}></textarea>
      <label for=${`contact-${id}-${request.seq}`}>${t('handover.contact')}</label>
      <textarea id=${`contact-${id}-${request.seq}`} rows="2" value=${contact}
                onInput=${(e) => setContact(e.currentTarget.value)}></textarea>
      <p class="error" role="alert">${error}</p>
      <div class="actions"><button type="submit" class="primary" disabled=${busy}>${t('handover.record')}</button></div>
    </form>
  `;
}

// `ended`: the chat is over; only what the visitor agreed to is left to record.
export function HandoverControl({ desk, chat, name, ended = false }) {
  const [open, setOpen] = useState(false);
  const [organisations, setOrganisations] = useState(null);
  const [chosen, setChosen] = useState('');
  const [, setRecordedCount] = useState(0);
  const requests = Requests(chat.log.Entries())
    .filter((request) => !ended || request.answer === 'yes')
    .map((request) => ({ ...request, referred: request.referred || recorded.has(`${chat.conversation.id}:${request.seq}`) }));

  useEffect(() => {
    if (!open) return;
    Organisations()
      .then((list) => {
        const active = list.filter((o) => o.active);
        setOrganisations(active);
        setChosen(active[0] ? String(active[0].id) : '');
      })
      .catch(() => setOrganisations([]));
  }, [open]);

  return html`
    <div class="handover">
      ${requests.map((request) => html`
        <div key=${request.seq}>
          <p class="meta" role="status">
            ${request.answer === null
              ? t('handover.waiting', { organisation: request.organisation, name })
              : request.answer === 'yes'
                ? request.referred ? t('handover.referred', { organisation: request.organisation }) : t('handover.agreedBy', { name, organisation: request.organisation })
                : t('handover.declinedBy', { name, organisation: request.organisation })}
          </p>
          ${request.answer === 'yes' && !request.referred
            ? html`<${ReferralForm} chat=${chat} request=${request} name=${name}
                                    onRecorded=${() => setRecordedCount((n) => n + 1)} />`
            : null}
        </div>
      `)}
      ${ended
        ? null
        : open
        ? html`
            <form class="inline" aria-label=${t('handover.ask', { name })}
                  onSubmit=${(e) => { e.preventDefault(); if (chosen && desk.AskConsent(chat.conversation.id, Number(chosen))) setOpen(false); }}>
              ${organisations !== null && organisations.length === 0 ? html`<p>${t('handover.noOrganisations')}</p>` : null}
              ${organisations?.length
                ? html`
                    <label for=${`organisation-${chat.conversation.id}`}>${t('handover.organisation')}</label>
                    <select id=${`organisation-${chat.conversation.id}`} value=${chosen}
                            onChange=${(e) => setChosen(e.currentTarget.value)}>
                      ${organisations.map((o) => html`<option value=${String(o.id)}>${o.name}${o.region ? ` (${o.region})` : ''}</option>`)}
                    </select>
                    <button type="submit" class="primary">${t('handover.askButton')}</button>`
                : null}
              <button type="button" onClick=${() => setOpen(false)}>${t('transfer.cancel')}</button>
            </form>`
        : html`<button type="button" onClick=${() => setOpen(true)}>${t('handover.open')}</button>`}
    </div>
  `;
}
