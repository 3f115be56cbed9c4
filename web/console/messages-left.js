// "Messages left", beside the queue for those who counsel: what visitors wrote while the chat
// was closed or nobody was free, oldest first. Taking one opens it on the desk like a chat; the
// visitor reads the answer when they come back with their pick-up code. Read again every 30
// seconds and whenever the desk's conversations change.

import { html, useEffect, useState } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';
import { MessagesLeft } from './api.js';
import { Duration, VisitorName } from './format.js';

const kRefreshMs = 30 * 1000;

export function MessagesLeftView({ desk }) {
  const [messages, setMessages] = useState(null);
  const [failed, setFailed] = useState(false);
  const chats = desk.chats.size;

  useEffect(() => {
    let live = true;
    const load = () =>
      MessagesLeft({ background: true })
        .then((loaded) => {
          if (!live) return;
          setMessages(loaded);
          setFailed(false);
        })
        .catch(() => live && setFailed(true));
    load();
    const timer = setInterval(load, kRefreshMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [chats]);

  const now = Date.now();
  return html`
    <section class="panel" aria-labelledby="messages-left-heading">
      <h2 id="messages-left-heading">${t('messagesLeft.heading')}</h2>
      ${failed ? html`<p class="error" role="alert">${t('messagesLeft.failed')}</p>` : null}
      ${messages === null || messages.length === 0
        ? html`<p>${t('messagesLeft.none')}</p>`
        : html`
            <ul class="queue">
              ${messages.map((message) => {
                const name = VisitorName(message);
                return html`
                  <li key=${message.id} class="queue-entry">
                    <div>
                      <strong>${name}</strong>
                      <span class="meta"> ${t('messagesLeft.since', { time: Duration(now - message.created_at) })}</span>
                      ${message.first_line ? html`<q class="first-line">${message.first_line}</q>` : null}
                    </div>
                    <button type="button" aria-label=${t('messagesLeft.answerLabel', { name })}
                            onClick=${() => desk.Accept(message.id)}>
                      ${t('messagesLeft.answer')}
                    </button>
                  </li>
                `;
              })}
            </ul>
          `}
    </section>
  `;
}
