// "My history": the conversations that ended in this counsellor's hands, by period, so that
// nothing they handled vanishes when it ends. Reading one again shows everything that was said
// and noted; the server records that it was read.

import { html, useEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';
import { History, HistoryConversation } from './api.js';
import { TranscriptMessages } from './transcript.js';
import { ShortDateTime, Subject, VisitorName } from './format.js';
import { RegistrationForm } from './registration.js';

const kDayMs = 24 * 60 * 60 * 1000;

// yyyy-mm-dd of a moment, in local time, for a date input.
function DateValue(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// The start of a local day from a date input's value; `after` days later (a day of 23 or 25
// hours when the clocks change ends at the next midnight all the same).
function DayStart(value, after = 0) {
  const [year, month, day] = value.split('-').map(Number);
  return new Date(year, month - 1, day + after).getTime();
}

function Transcript({ opened, onClose }) {
  const name = VisitorName(opened.conversation);
  const heading = useRef(null);
  useEffect(() => heading.current?.focus(), [opened]);
  return html`
    <section class="transcript" aria-labelledby="transcript-heading">
      <h3 id="transcript-heading" ref=${heading} tabindex="-1">${t('history.transcriptOf', { name })}</h3>
      <${TranscriptMessages} messages=${opened.messages} truncated=${opened.truncated} visitor=${name} />
      <div class="actions">
        <button type="button" onClick=${onClose}>${t('history.closeTranscript')}</button>
      </div>
    </section>
  `;
}

export function HistoryPanel({ onClose }) {
  const now = Date.now();
  const [from, setFrom] = useState(DateValue(now - 30 * kDayMs));
  const [to, setTo] = useState(DateValue(now));
  const [conversations, setConversations] = useState(null);
  const [opened, setOpened] = useState(null);
  const [registering, setRegistering] = useState(null);
  const [error, setError] = useState('');
  const heading = useRef(null);
  // Only the newest request of each kind shows: a slow answer must not replace a later one.
  const latestList = useRef(0);
  const latestTranscript = useRef(0);

  const load = async () => {
    const request = ++latestList.current;
    setError('');
    try {
      const listed = await History(DayStart(from), DayStart(to, 1));
      if (request === latestList.current) setConversations(listed);
    } catch {
      if (request !== latestList.current) return;
      // Not the list of the period the dates now name.
      setConversations(null);
      setError(t('history.failed'));
    }
  };
  useEffect(() => {
    heading.current?.focus();
    load();
  }, []);

  const open = async (id) => {
    const request = ++latestTranscript.current;
    setError('');
    try {
      const read = await HistoryConversation(id);
      if (request === latestTranscript.current) setOpened(read);
    } catch {
      if (request === latestTranscript.current) setError(t('history.failed'));
    }
  };
  // Closed, the focus goes back to the button that opened it.
  const close = () => {
    document.getElementById(`history-read-${opened.conversation.id}`)?.focus();
    setOpened(null);
  };

  return html`
    <section class="panel history" aria-labelledby="history-heading">
      <h2 id="history-heading" ref=${heading} tabindex="-1">${t('history.heading')}</h2>
      <form class="inline" onSubmit=${(event) => { event.preventDefault(); load(); }}>
        <label for="history-from">${t('history.from')}</label>
        <input id="history-from" type="date" value=${from} required
               onInput=${(e) => setFrom(e.currentTarget.value)} />
        <label for="history-to">${t('history.to')}</label>
        <input id="history-to" type="date" value=${to} required
               onInput=${(e) => setTo(e.currentTarget.value)} />
        <button type="submit">${t('history.show')}</button>
      </form>
      <p class="error" role="alert">${error}</p>
      ${conversations?.some((c) => c.registration !== 'complete')
        ? html`<p class="notice">${t('history.open', { n: conversations.filter((c) => c.registration !== 'complete').length })}</p>`
        : null}
      ${conversations === null
        ? null
        : conversations.length === 0
          ? html`<p>${t('history.none')}</p>`
          : html`
              <table>
                <caption class="visually-hidden">${t('history.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">${t('history.who')}</th>
                    <th scope="col">${t('history.started')}</th>
                    <th scope="col">${t('history.ended')}</th>
                    <th scope="col">${t('history.registration')}</th>
                    <th scope="col"><span class="visually-hidden">${t('history.read')}</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${conversations.map((c) => {
                    const name = VisitorName(c);
                    return html`
                      <tr key=${c.id}>
                        <th scope="row">${name} <span class="meta">${Subject(c.subject)}</span></th>
                        <td>${ShortDateTime(c.created_at)}</td>
                        <td>${ShortDateTime(c.ended_at)}</td>
                        <td>
                          ${t(`registration.status.${c.registration}`)}
                          ${' '}
                          <button type="button"
                                  aria-label=${t(c.registration === 'complete' ? 'history.changeLabel' : 'history.registerLabel', { name })}
                                  onClick=${() => setRegistering(c)}>
                            ${t(c.registration === 'complete' ? 'history.change' : 'history.register')}
                          </button>
                        </td>
                        <td>
                          <button type="button" id=${`history-read-${c.id}`}
                                  aria-label=${t('history.readLabel', { name })}
                                  onClick=${() => open(c.id)}>${t('history.read')}</button>
                        </td>
                      </tr>
                    `;
                  })}
                </tbody>
              </table>
            `}
      ${opened ? html`<${Transcript} opened=${opened} onClose=${close} />` : null}
      ${registering
        ? html`<${RegistrationForm} key=${registering.id} conversationId=${registering.id}
                                   name=${VisitorName(registering)} onSaved=${load} />`
        : null}
      <div class="actions">
        <button type="button" onClick=${onClose}>${t('history.close')}</button>
      </div>
    </section>
  `;
}
