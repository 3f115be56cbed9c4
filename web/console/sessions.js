// "My sessions": where this staff member is signed in, so that a session left open on another
// computer can be ended from here (its console closes at once).

import { html, useEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { ClockTime, t } from '../shared/i18n.js';
import { EndSession, Sessions } from './api.js';

export function SessionsPanel({ onClose }) {
  const [sessions, setSessions] = useState(null);
  const [error, setError] = useState('');
  const heading = useRef(null);

  const load = () =>
    Sessions()
      .then(setSessions)
      .catch(() => setError(t('sessions.failed')));

  useEffect(() => {
    heading.current?.focus();
    load();
  }, []);

  const end = async (id) => {
    setError('');
    try {
      await EndSession(id);
      await load();
    } catch {
      setError(t('sessions.failed'));
    }
  };

  return html`
    <section class="panel sessions" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading" ref=${heading} tabindex="-1">${t('sessions.heading')}</h2>
      <p class="error" role="alert">${error}</p>
      ${sessions === null
        ? null
        : html`
            <ul class="session-list">
              ${sessions.map(
                (session) => html`
                  <li key=${session.id}>
                    <span>
                      ${session.current ? html`<strong>${t('sessions.current')}</strong> · ` : null}
                      ${t('sessions.times', {
                        since: ClockTime(session.created_at),
                        seen: ClockTime(session.last_seen_at),
                      })}
                    </span>
                    ${session.current
                      ? null
                      : html`<button type="button" onClick=${() => end(session.id)}
                                    aria-label=${t('sessions.endLabel', { since: ClockTime(session.created_at) })}>
                          ${t('sessions.end')}
                        </button>`}
                  </li>
                `,
              )}
            </ul>
          `}
      <button type="button" onClick=${onClose}>${t('sessions.close')}</button>
    </section>
  `;
}
