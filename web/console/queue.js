// The queue screen: who is waiting, about whom, for how long (ticking each second), and an
// "accept" button per entry. Most urgent first, then longest waiting. The server sends the most
// urgent part of a long queue; the heading says how many wait in all.

import { html, useEffect, useState } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';
import { Duration, Subject, VisitorName } from './format.js';

// Re-renders every `ms`, for times that count on.
export function useTick(ms) {
  const [, setNow] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
}

function UrgencyBadge({ urgency }) {
  if (urgency >= 2) return html` <span class="urgent">${t('queue.urgent')}</span>`;
  if (urgency === 1) return html` <span class="raised">${t('queue.raised')}</span>`;
  return null;
}

// The counsellor's own judgement over triage's: it sticks, and the change is audited.
function UrgencyChoice({ desk, entry, name }) {
  const id = `urgency-${entry.conversation_id}`;
  return html`
    <span class="urgency-choice">
      <label for=${id}>${t('queue.urgencyLabel', { name })}</label>
      <select id=${id} value=${String(entry.urgency)}
              onChange=${(event) => desk.Mark(entry.conversation_id, Number(event.currentTarget.value))}>
        <option value="0">${t('queue.normal')}</option>
        <option value="1">${t('queue.raised')}</option>
        <option value="2">${t('queue.urgent')}</option>
      </select>
      ${entry.urgency_marked ? html`<span class="meta">${t('queue.markedByHand')}</span>` : null}
    </span>
  `;
}

export function QueueView({ desk, counsels }) {
  useTick(1000);
  const now = Date.now();
  // Busy or away: no new conversations (the server refuses them too).
  const notTaking = desk.availability === 'busy' || desk.availability === 'away';
  return html`
    <section class="panel" aria-labelledby="queue-heading">
      <h2 id="queue-heading">${t('queue.heading')}</h2>
      ${counsels && notTaking
        ? html`<p class="meta notice">${t(`availability.${desk.availability}Notice`)}</p>`
        : null}
      ${counsels && desk.queue.length > 0 && !notTaking
        ? html`<button type="button" class="primary next" onClick=${() => desk.AcceptNext()}>
                 ${t('queue.next')}
               </button>`
        : null}
      ${desk.queueTotal > desk.queue.length
        ? html`<p class="meta">${t('queue.more', { shown: desk.queue.length, total: desk.queueTotal })}</p>`
        : null}
      ${desk.queue.length === 0
        ? html`<p>${t('queue.empty')}</p>`
        : html`
            <ul class="queue">
              ${desk.queue.map((entry) => {
                const name = VisitorName(entry);
                return html`
                  <li key=${entry.conversation_id} class="queue-entry">
                    <div>
                      <strong>${name}</strong>
                      <${UrgencyBadge} urgency=${Number(entry.urgency)} />
                      <span class="meta">
                        ${Subject(entry.subject)} · ${t('queue.waiting', { time: Duration(entry.waiting_ms + now - entry.received_at) })}
                      </span>
                      ${entry.first_line ? html`<q class="first-line" dir="auto">${entry.first_line}</q>` : null}
                      ${(entry.triage_words || []).length > 0
                        ? html`<span class="meta triage">${t('queue.why', { words: entry.triage_words.join(', ') })}</span>`
                        : null}
                      ${counsels ? html`<${UrgencyChoice} desk=${desk} entry=${entry} name=${name} />` : null}
                    </div>
                    <button type="button" class="primary" aria-label=${t('queue.acceptLabel', { name })}
                            disabled=${notTaking}
                            onClick=${() => desk.Accept(entry.conversation_id)}>
                      ${t('queue.accept')}
                    </button>
                  </li>
                `;
              })}
            </ul>
          `}
    </section>
  `;
}
