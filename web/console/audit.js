// The audit trail for supervisors and admins: who did what, in which conversation, when, from
// which node; filtered by action, account or conversation, newest first, a page at a time.
// Reading it is itself recorded by the server.

import { html, useEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';
import { AuditEntries } from './api.js';

const kPage = 50;
const kActions = [
  'sign_in', 'sign_in_failed', 'sign_out', 'session_ended', 'read', 'accept', 'send', 'end',
  'account_created', 'account_disabled', 'account_enabled', 'second_factor_reset', 'audit_read',
  'deleted', 'role_changed', 'password_reset', 'account_set_up', 'key_rotated', 'key_retired',
  'capacity_changed', 'urgency_changed', 'note', 'whisper', 'monitor',
  'availability_changed', 'history_read', 'canned_changed', 'opening_hours_changed', 'transfer', 'registration_saved', 'referral',
  'directory_changed',
  'content_changed',
  'campaign_changed',
  'outreach_verdict', 'outreach_exported', 'outreach_scan_started', 'outreach_scan_cancelled',
  'outreach_scan_deleted', 'lexicon_changed', 'partners_changed', 'insights_report',
  'review_sample_drawn', 'review_read', 'review_saved', 'emerging_words_run',
];

function When(ms) {
  return new Date(ms).toLocaleString(t('audit.locale'), { dateStyle: 'short', timeStyle: 'medium' });
}

export function AuditPanel({ onClose }) {
  const [filter, setFilter] = useState({ action: '', account: '', conversation: '' });
  // What the shown entries answer: "older" pages on with it, not with what is typed since.
  const [applied, setApplied] = useState(filter);
  const [entries, setEntries] = useState([]);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');
  const heading = useRef(null);
  const latest = useRef(0);

  // A first page (no `before`) makes `query` the applied filter once it comes; until then, and
  // while any page loads, there is no "older" to ask for.
  const load = async (query, before) => {
    const request = ++latest.current;
    setError('');
    setLoading(true);
    try {
      const page = await AuditEntries({ ...query, before, limit: kPage });
      if (request !== latest.current) return;
      if (!before) setApplied(query);
      setEntries((shown) => (before ? [...shown, ...page] : page));
      setMore(page.length === kPage);
    } catch {
      if (request === latest.current) setError(t('audit.failed'));
    } finally {
      if (request === latest.current) setLoading(false);
    }
  };

  useEffect(() => {
    heading.current?.focus();
    load(applied);
  }, []);

  const apply = (event) => {
    event.preventDefault();
    load(filter);
  };
  const field = (name) => (event) => setFilter({ ...filter, [name]: event.currentTarget.value });

  return html`
    <section class="panel audit" aria-labelledby="audit-heading">
      <h2 id="audit-heading" ref=${heading} tabindex="-1">${t('audit.heading')}</h2>
      <form class="audit-filter" onSubmit=${apply}>
        <label for="audit-action">${t('audit.action')}</label>
        <select id="audit-action" value=${filter.action} onChange=${field('action')}>
          <option value="">${t('audit.anyAction')}</option>
          ${kActions.map((action) => html`<option value=${action}>${t(`audit.a.${action}`)}</option>`)}
        </select>
        <label for="audit-account">${t('audit.account')}</label>
        <input id="audit-account" inputmode="numeric" value=${filter.account}
               onInput=${field('account')} />
        <label for="audit-conversation">${t('audit.conversation')}</label>
        <input id="audit-conversation" value=${filter.conversation}
               onInput=${field('conversation')} />
        <button type="submit">${t('audit.apply')}</button>
      </form>
      <p class="error" role="alert">${error}</p>
      <div class="table-scroll">
        <table>
          <caption class="visually-hidden">${t('audit.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">${t('audit.when')}</th>
              <th scope="col">${t('audit.action')}</th>
              <th scope="col">${t('audit.account')}</th>
              <th scope="col">${t('audit.role')}</th>
              <th scope="col">${t('audit.conversation')}</th>
              <th scope="col">${t('audit.node')}</th>
              <th scope="col">${t('audit.detail')}</th>
            </tr>
          </thead>
          <tbody>
            ${entries.map(
              (entry) => html`
                <tr key=${entry.seq}>
                  <td>${When(entry.at)}</td>
                  <td>${t(`audit.a.${entry.action}`)}</td>
                  <td>${entry.account_id ?? '–'}</td>
                  <td>${entry.role || '–'}</td>
                  <td>${entry.conversation_id || '–'}</td>
                  <td>${entry.node}</td>
                  <td>${entry.detail}</td>
                </tr>
              `,
            )}
          </tbody>
        </table>
      </div>
      ${entries.length === 0 && !error ? html`<p>${t('audit.none')}</p>` : null}
      <div class="actions">
        ${more && !loading
          ? html`<button type="button" onClick=${() => load(applied, entries[entries.length - 1].seq)}>
              ${t('audit.older')}
            </button>`
          : null}
        <button type="button" onClick=${onClose}>${t('audit.close')}</button>
      </div>
    </section>
  `;
}
