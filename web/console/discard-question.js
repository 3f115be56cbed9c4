// Asks before what would throw away unsaved edits; "No" has the focus first, so that a key press
// meant for the form loses nothing.

import { html, useEffect, useRef } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';

export function DiscardQuestion({ onYes, onNo }) {
  const no = useRef(null);
  useEffect(() => no.current?.focus(), []);
  return html`
    <div class="confirm" role="group" aria-label=${t('discard.question')}>
      <p>${t('discard.question')}</p>
      <div class="actions">
        <button type="button" onClick=${onYes}>${t('discard.yes')}</button>
        <button type="button" class="primary" ref=${no} onClick=${onNo}>${t('discard.no')}</button>
      </div>
    </div>
  `;
}
