// Asks before what would throw away unsaved edits; "No" has the focus first, so that a key press
// meant for the form loses nothing.
//
// A panel that asks also fills `leave.current` (a ref its parent gives) with its own guarded
// close, so that the console's menu closes it the same way (LeaveThrough).

import { html, useEffect, useRef } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';

export function DiscardQuestion({ onYes, onNo }) {
  const no = useRef(null);
  // What asked (a Close button, say) has the focus back after a "no".
  const asker = useRef(null);
  useEffect(() => {
    asker.current = document.activeElement;
    no.current?.focus();
  }, []);
  const keepEditing = () => {
    onNo();
    asker.current?.focus?.();
  };
  return html`
    <div class="confirm" role="group" aria-label=${t('discard.question')}>
      <p>${t('discard.question')}</p>
      <div class="actions">
        <button type="button" onClick=${onYes}>${t('discard.yes')}</button>
        <button type="button" class="primary" ref=${no} onClick=${keepEditing}>${t('discard.no')}</button>
      </div>
    </div>
  `;
}

// Closes a panel through the guarded close it put in `leave`, else with `close`.
export function LeaveThrough(leave, close) {
  if (leave.current) leave.current();
  else close();
}
