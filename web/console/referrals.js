// "Referrals": the handovers this counsellor made (a supervisor: the team's), with the
// organisation and their status
// (proposed, accepted, completed, declined), which staff who counsel update here: a status is
// chosen, then saved with its own button (a select changes on every arrow key). The console
// reads them every 30 seconds and says so when a colleague changed one.

import { html, useEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';
import { ApiError, Organisations, Referrals, SetReferralStatus } from './api.js';
import { ShortDateTime } from './format.js';

const kStatuses = ['proposed', 'accepted', 'completed', 'declined'];
const kRefreshMs = 30 * 1000;

// Watches the member's referrals for changes made elsewhere; calls `onChanged(count)`.
export function useReferralChanges(enabled, onChanged) {
  const known = useRef(null);
  useEffect(() => {
    if (!enabled) return undefined;
    const check = () =>
      Referrals({ background: true })
        .then((list) => {
          const now = new Map(list.map((r) => [r.id, `${r.status}:${r.updated_at}`]));
          if (known.current) {
            let changed = 0;
            for (const [id, state] of now) {
              if (known.current.has(id) && known.current.get(id) !== state) changed += 1;
            }
            if (changed > 0) onChanged(changed);
          }
          known.current = now;
        })
        .catch(() => {});
    check();
    const timer = setInterval(check, kRefreshMs);
    return () => clearInterval(timer);
  }, [enabled]);
  // Changes made on this console are not news.
  return (id, state) => known.current?.set(id, state);
}

export function ReferralsPanel({ onClose, onOwnChange, team }) {
  const [referrals, setReferrals] = useState(null);
  const [names, setNames] = useState(new Map());
  const [error, setError] = useState('');
  const [chosen, setChosen] = useState({});  // referral id -> a status chosen, not yet saved
  const [busy, setBusy] = useState(false);
  const heading = useRef(null);

  const load = () =>
    Promise.all([Referrals(), Organisations()])
      .then(([list, organisations]) => {
        setReferrals(list);
        setNames(new Map(organisations.map((o) => [o.id, o.name])));
      })
      .catch(() => setError(t('referrals.failed')));
  useEffect(() => {
    heading.current?.focus();
    load();
  }, []);

  // A choice made again while the save ran stays.
  const forget = (id, saved) =>
    setChosen(({ [id]: choice, ...others }) => (choice === saved ? others : { ...others, [id]: choice }));
  const change = async (id, from, status) => {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      const changed = await SetReferralStatus(id, from, status);
      onOwnChange?.(changed.id, `${changed.status}:${changed.updated_at}`);
    } catch (failure) {
      // A colleague was first: what they chose shows, and the member may choose again. Any
      // other failure shows the status as stored, not the one that was not saved.
      setError(
        t(failure instanceof ApiError && failure.status === 409
          ? 'referrals.changedMeanwhile'
          : 'referrals.failed'),
      );
    }
    // The choice shows until the list comes back with what is stored now.
    await load();
    forget(id, status);
    setBusy(false);
    document.getElementById(`referral-${id}`)?.focus();
  };

  return html`
    <section class="panel referrals" aria-labelledby="referrals-heading">
      <h2 id="referrals-heading" ref=${heading} tabindex="-1">${t(team ? 'referrals.teamHeading' : 'referrals.heading')}</h2>
      <p class="error" role="alert">${error}</p>
      ${referrals === null
        ? null
        : referrals.length === 0
          ? html`<p>${t('referrals.none')}</p>`
          : html`
              <table>
                <caption class="visually-hidden">${t('referrals.heading')}</caption>
                <thead>
                  <tr>
                    <th scope="col">${t('referrals.organisation')}</th>
                    <th scope="col">${t('referrals.made')}</th>
                    <th scope="col">${t('referrals.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${referrals.map((r) => {
                    const name = names.get(r.organisation_id) ?? String(r.organisation_id);
                    const status = chosen[r.id] ?? r.status;
                    return html`
                      <tr key=${r.id}>
                        <th scope="row">${name}</th>
                        <td>${ShortDateTime(r.created_at)}</td>
                        <td>
                          <label class="visually-hidden" for=${`referral-${r.id}`}>${t('referrals.statusOf', { organisation: name })}</label>
                          <select id=${`referral-${r.id}`} value=${status}
                                  onChange=${(e) => {
                                    const picked = e.currentTarget.value;
                                    setChosen((all) => ({ ...all, [r.id]: picked }));
                                  }}>
                            ${kStatuses.map((s) => html`<option value=${s}>${t(`referrals.s.${s}`)}</option>`)}
                          </select>
                          ${status !== r.status
                            ? html` <button type="button" disabled=${busy}
                                            aria-label=${t('referrals.saveLabel', { organisation: name, status: t(`referrals.s.${status}`) })}
                                            onClick=${() => change(r.id, r.status, status)}>${t('referrals.save')}</button>`
                            : null}
                        </td>
                      </tr>
                    `;
                  })}
                </tbody>
              </table>
            `}
      <div class="actions">
        <button type="button" onClick=${onClose}>${t('referrals.close')}</button>
      </div>
    </section>
  `;
}
