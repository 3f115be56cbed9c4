// A conversation read again after it ended (a counsellor's history, a supervisor's review): what
// the visitor and the counsellors wrote, with notes and whispers marked as staff-only, each with
// who and when; a shredded message says so instead of its text.

import { html } from '/assets/vendor/preact-htm.js';
import { ClockTime, t } from '../shared/i18n.js';

// `visitor`: the name the visitor's messages go by. `truncated`: the conversation holds more
// than the server reads back; what is shown is its beginning.
export function TranscriptMessages({ messages, visitor, truncated = false }) {
  return html`
    ${truncated ? html`<p class="notice">${t('history.truncated', { n: messages.length })}</p>` : null}
    <ol class="messages">
      ${messages.map((message) => {
        if (message.kind !== 'text' && message.kind !== 'note' && message.kind !== 'whisper') return null;
        const who =
          message.kind === 'note'
            ? t('chat.noteBy', { name: message.author })
            : message.kind === 'whisper'
              ? t('chat.whisperBy', { name: message.author })
              : message.sender === 'visitor'
                ? visitor
                : message.author;
        return html`
          <li key=${message.seq} class=${`msg${message.kind === 'text' ? '' : ` staff-only ${message.kind}`}`}>
            <span class="who">${who} <time>${ClockTime(message.created_at)}</time></span>
            <p class="body" dir="auto">${message.body_shredded ? t('history.shredded') : message.body}</p>
          </li>`;
      })}
    </ol>
  `;
}
