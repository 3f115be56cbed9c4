// Transfers on the desk: a counsellor offers a conversation to a colleague who is available,
// with a note only staff read; while the offer stands it can be taken back. The colleague sees
// the offer beside the queue and takes it over or declines; an offer not taken in time lapses
// and the conversation simply stays.

import { html, useEffect, useState } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';
import { Colleagues } from './api.js';
import { VisitorName } from './format.js';

// In a conversation pane: "Transfer" opens the form; an offer made shows its state.
export function TransferControl({ desk, chat }) {
  const id = chat.conversation.id;
  const name = VisitorName(chat.conversation);
  const [open, setOpen] = useState(false);
  const [colleagues, setColleagues] = useState(null);
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const offered = desk.OfferedBy(id);

  useEffect(() => {
    if (!open) return;
    Colleagues()
      .then((list) => {
        setColleagues(list);
        setTo(list[0] ? String(list[0].id) : '');
      })
      .catch(() => setError(t('transfer.failed')));
  }, [open]);

  if (offered) {
    return html`
      <div class="transfer" role="status">
        <p>${t('transfer.pending', { colleague: offered.to.display_name })}</p>
        <button type="button" onClick=${() => desk.DeclineTransfer(id)}>${t('transfer.takeBack')}</button>
      </div>
    `;
  }
  if (!open) {
    return html`
      <div class="actions">
        <button type="button" onClick=${() => setOpen(true)}>${t('transfer.open')}</button>
        <button type="button" onClick=${() => desk.Release(id)}>${t('transfer.toQueue')}</button>
      </div>
    `;
  }
  const submit = (event) => {
    event.preventDefault();
    if (!to) return setError(t('transfer.nobody'));
    if (!desk.Transfer(id, Number(to), note.trim())) return;
    setOpen(false);
    setNote('');
  };
  return html`
    <form class="transfer" onSubmit=${submit} aria-label=${t('transfer.heading', { name })}>
      <p><strong>${t('transfer.heading', { name })}</strong></p>
      ${colleagues !== null && colleagues.length === 0 ? html`<p>${t('transfer.nobody')}</p>` : null}
      ${colleagues?.length
        ? html`
            <label for=${`transfer-to-${id}`}>${t('transfer.to')}</label>
            <select id=${`transfer-to-${id}`} value=${to} onChange=${(e) => setTo(e.currentTarget.value)}>
              ${colleagues.map((c) => html`<option value=${String(c.id)}>${c.display_name}</option>`)}
            </select>
            <label for=${`transfer-note-${id}`}>${t('transfer.note')}</label>
            <textarea id=${`transfer-note-${id}`} rows="2" value=${note}
                      onInput=${(e) => setNote(e.currentTarget.value)}></textarea>`
        : null}
      <p class="error" role="alert">${error}</p>
      <div class="actions">
        ${colleagues?.length ? html`<button type="submit" class="primary">${t('transfer.offer')}</button>` : null}
        <button type="button" onClick=${() => setOpen(false)}>${t('transfer.cancel')}</button>
      </div>
    </form>
  `;
}

// Beside the queue: conversations colleagues offer me.
export function OffersForMe({ desk }) {
  if (desk.offersToMe.length === 0) return null;
  return html`
    <section class="panel offers" aria-labelledby="offers-heading">
      <h2 id="offers-heading">${t('transfer.offersHeading')}</h2>
      <ul class="queue">
        ${desk.offersToMe.map((offer) => {
          const name = VisitorName(offer.conversation);
          return html`
            <li key=${offer.conversation.id} class="queue-entry">
              <p>${t('transfer.offeredBy', { colleague: offer.from.display_name, name })}</p>
              <div class="actions">
                <button type="button" class="primary" aria-label=${t('transfer.takeLabel', { name })}
                        onClick=${() => desk.TakeTransfer(offer.conversation.id)}>${t('transfer.take')}</button>
                <button type="button" aria-label=${t('transfer.declineLabel', { name })}
                        onClick=${() => desk.DeclineTransfer(offer.conversation.id)}>${t('transfer.decline')}</button>
              </div>
            </li>
          `;
        })}
      </ul>
    </section>
  `;
}
