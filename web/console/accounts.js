// Account administration for admins: every colleague's account with its role, state and last
// sign-in; invite a colleague, change a role, disable or enable, reset a password or an app.
// An invitation or reset gives a one-time link the admin passes on; admins never see or set a
// password.

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
  const heading = useRef(null);

  const load = () =>
    Accounts()
      .then(setAccounts)
      .catch(() => setError(t('accounts.failed')));

  useEffect(() => {
    heading.current?.focus();
    load();
  }, []);

  const act = async (work) => {
    setError('');
    try {
      const answer = await work();
      if (answer?.setup_link) {
        setLink({ name: answer.account.username, url: `${location.origin}${answer.setup_link}` });
      }
      await load();
    } catch (failure) {
      setError(failure.message || t('accounts.failed'));
    }
  };

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
              return html`
                <tr key=${account.id}>
                  <th scope="row">${account.username}</th>
                  <td>${account.display_name}</td>
                  <td>
                    <select aria-label=${t('accounts.roleOf', { name: account.username })}
                            value=${account.role} disabled=${own}
                            onChange=${(e) => act(() => ChangeAccount(account.id, 'role', { role: e.currentTarget.value }))}>
                      ${kRoles.map((role) => html`<option value=${role}>${t(`role.${role}`)}</option>`)}
                    </select>
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
                      : html`<button type="button"
                                    aria-label=${t(account.disabled ? 'accounts.enableLabel' : 'accounts.disableLabel', { name: account.username })}
                                    onClick=${() => act(() => ChangeAccount(account.id, account.disabled ? 'enable' : 'disable'))}>
                          ${t(account.disabled ? 'accounts.enable' : 'accounts.disable')}
                        </button>`}
                    <button type="button"
                            aria-label=${t('accounts.resetPasswordLabel', { name: account.username })}
                            onClick=${() => act(() => ChangeAccount(account.id, 'reset-password'))}>
                      ${t('accounts.resetPassword')}
                    </button>
                    <button type="button"
                            aria-label=${t('accounts.resetAppLabel', { name: account.username })}
                            onClick=${() => act(() => ChangeAccount(account.id, 'reset-2fa'))}>
                      ${t('accounts.resetApp')}
                    </button>
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
