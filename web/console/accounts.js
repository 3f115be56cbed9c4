// Account administration for admins: every colleague's account with its role, state and last
// sign-in; invite a colleague, change a role, disable or enable, reset a password or an app.
// An invitation or reset gives a one-time link the admin passes on; admins never see or set a
// password. A role is chosen, then changed with its own button (a select changes on every arrow
// key, and each change closes the colleague's console); disabling and a new app are confirmed,
// since both sign the colleague out at once.

import { html, useEffect, useRef, useState } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';
import { Accounts, ChangeAccount, InviteAccount } from './api.js';
import { ShortDateTime } from './format.js';

const kRoles = ['counsellor', 'supervisor', 'analyst', 'admin'];

function When(ms) {
  if (!ms) return t('accounts.never');
  return ShortDateTime(ms);
}

function Link({ link }) {
  if (!link) return null;
  return html`
    <div class="setup-link" role="status">
      <label for="setup-link">${t('accounts.linkFor', { name: link.name })}</label>
      <input id="setup-link" readonly value=${link.url} onFocus=${(e) => e.currentTarget.select()} />
      <p class="hint">${t('accounts.linkHint')}</p>
    </div>
  `;
}

export function AccountsPanel({ me, onClose }) {
  const [accounts, setAccounts] = useState([]);
  const [error, setError] = useState('');
  const [link, setLink] = useState(null);
  const [form, setForm] = useState({ username: '', display_name: '', role: 'counsellor' });
  const [roles, setRoles] = useState({});  // account id -> a role chosen, not yet changed
  const [confirming, setConfirming] = useState(null);  // { id, what } awaiting a yes
  const [busy, setBusy] = useState(false);
  // Focus follows a question: to its "no" when it opens, back to what opened it on "no". After a
  // change it goes to the first of `refocus` (element ids) that is there.
  const [refocus, setRefocus] = useState([]);
  useEffect(() => {
    if (confirming) document.getElementById('confirm-no')?.focus();
  }, [confirming]);
  useEffect(() => {
    if (refocus.length === 0) return;
    refocus.map((id) => document.getElementById(id)).find(Boolean)?.focus();
    setRefocus([]);
  }, [refocus]);
  const heading = useRef(null);

  const load = () =>
    Accounts()
      .then(setAccounts)
      .catch(() => setError(t('accounts.failed')));

  useEffect(() => {
    heading.current?.focus();
    load();
  }, []);

  // Runs `work`, shows the accounts anew, then `done()`; the focus goes to the first element
  // `focus` names that is there (the button or list the admin used may have gone).
  const act = async (work, { focus = [], done = () => {} } = {}) => {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      const answer = await work();
      if (answer?.setup_link) {
        setLink({ name: answer.account.username, url: `${location.origin}${answer.setup_link}` });
      }
      await load();
      done();
    } catch (failure) {
      setError(failure.message || t('accounts.failed'));
    } finally {
      setConfirming(null);
      setBusy(false);
      if (focus.length > 0) setRefocus(focus);
    }
  };
  // The role chosen stays shown until the accounts come back with it.
  const changeRole = (account, role) =>
    act(() => ChangeAccount(account.id, 'role', { role }), {
      focus: [`account-${account.id}-role`],
      done: () => setRoles(({ [account.id]: _, ...others }) => others),
    });

  const invite = (event) => {
    event.preventDefault();
    act(async () => {
      const answer = await InviteAccount(form.username.trim(), form.role, form.display_name.trim());
      setForm({ username: '', display_name: '', role: 'counsellor' });
      return answer;
    });
  };
  const field = (name) => (event) => setForm({ ...form, [name]: event.currentTarget.value });

  return html`
    <section class="panel accounts" aria-labelledby="accounts-heading">
      <h2 id="accounts-heading" ref=${heading} tabindex="-1">${t('accounts.heading')}</h2>
      <p class="error" role="alert">${error}</p>
      <${Link} link=${link} />
      <div class="table-scroll">
        <table>
          <caption class="visually-hidden">${t('accounts.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">${t('accounts.username')}</th>
              <th scope="col">${t('accounts.displayName')}</th>
              <th scope="col">${t('accounts.role')}</th>
              <th scope="col">${t('accounts.state')}</th>
              <th scope="col">${t('accounts.lastSignIn')}</th>
              <th scope="col">${t('accounts.actions')}</th>
            </tr>
          </thead>
          <tbody>
            ${accounts.map((account) => {
              const own = account.username === me.username;
              const chosen = roles[account.id] ?? account.role;
              const asking = (what) => confirming?.id === account.id && confirming.what === what;
              const question = (what, text) => html`
                <span class="confirm" role="group" aria-label=${text}>
                  <span>${text}</span>
                  <button type="button" disabled=${busy}
                          onClick=${() => act(() => ChangeAccount(account.id, what), {
                            focus: what === 'disable'
                              ? [`account-${account.id}-enable`, `account-${account.id}-disable`]
                              : [`account-${account.id}-${what}`],
                          })}>${t('accounts.yes')}</button>
                  <button type="button" id="confirm-no" disabled=${busy}
                          onClick=${() => {
                            setConfirming(null);
                            setRefocus([`account-${account.id}-${what}`]);
                          }}>${t('accounts.no')}</button>
                </span>`;
              return html`
                <tr key=${account.id}>
                  <th scope="row">${account.username}</th>
                  <td>${account.display_name}</td>
                  <td>
                    <select id=${`account-${account.id}-role`}
                            aria-label=${t('accounts.roleOf', { name: account.username })}
                            value=${chosen} disabled=${own}
                            onChange=${(e) => {
                              const role = e.currentTarget.value;
                              setRoles((all) => ({ ...all, [account.id]: role }));
                            }}>
                      ${kRoles.map((role) => html`<option value=${role}>${t(`role.${role}`)}</option>`)}
                    </select>
                    ${chosen !== account.role
                      ? html` <button type="button" disabled=${busy}
                                      aria-label=${t('accounts.changeRoleLabel', { name: account.username, role: t(`role.${chosen}`) })}
                                      onClick=${() => changeRole(account, chosen)}>${t('accounts.changeRole')}</button>`
                      : null}
                  </td>
                  <td>
                    ${account.disabled
                      ? t('accounts.disabled')
                      : account.second_factor
                        ? t('accounts.active')
                        : t('accounts.notSetUp')}
                  </td>
                  <td>${When(account.last_sign_in_at)}</td>
                  <td class="row-actions">
                    ${own
                      ? null
                      : account.disabled
                        ? html`<button type="button" disabled=${busy} id=${`account-${account.id}-enable`}
                                       aria-label=${t('accounts.enableLabel', { name: account.username })}
                                       onClick=${() => act(() => ChangeAccount(account.id, 'enable'), {
                                         focus: [`account-${account.id}-disable`],
                                       })}>
                            ${t('accounts.enable')}
                          </button>`
                        : asking('disable')
                          ? question('disable', t('accounts.disableQuestion', { name: account.username }))
                          : html`<button type="button" id=${`account-${account.id}-disable`} disabled=${busy}
                                         aria-label=${t('accounts.disableLabel', { name: account.username })}
                                         onClick=${() => setConfirming({ id: account.id, what: 'disable' })}>
                              ${t('accounts.disable')}
                            </button>`}
                    <button type="button" disabled=${busy}
                            aria-label=${t('accounts.resetPasswordLabel', { name: account.username })}
                            onClick=${() => act(() => ChangeAccount(account.id, 'reset-password'))}>
                      ${t('accounts.resetPassword')}
                    </button>
                    ${asking('reset-2fa')
                      ? question('reset-2fa', t('accounts.resetAppQuestion', { name: account.username }))
                      : html`<button type="button" id=${`account-${account.id}-reset-2fa`} disabled=${busy}
                                     aria-label=${t('accounts.resetAppLabel', { name: account.username })}
                                     onClick=${() => setConfirming({ id: account.id, what: 'reset-2fa' })}>
                          ${t('accounts.resetApp')}
                        </button>`}
                  </td>
                </tr>
              `;
            })}
          </tbody>
        </table>
      </div>
      <form class="invite" onSubmit=${invite}>
        <h3>${t('accounts.invite')}</h3>
        <label for="invite-username">${t('accounts.username')}</label>
        <input id="invite-username" required value=${form.username} onInput=${field('username')} />
        <label for="invite-name">${t('accounts.displayName')}</label>
        <input id="invite-name" value=${form.display_name} onInput=${field('display_name')} />
        <label for="invite-role">${t('accounts.role')}</label>
        <select id="invite-role" value=${form.role} onChange=${field('role')}>
          ${kRoles.map((role) => html`<option value=${role}>${t(`role.${role}`)}</option>`)}
        </select>
        <div class="actions">
          <button type="submit" class="primary">${t('accounts.inviteButton')}</button>
          <button type="button" onClick=${onClose}>${t('accounts.close')}</button>
        </div>
      </form>
    </section>
  `;
}
