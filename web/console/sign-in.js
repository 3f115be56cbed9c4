// The sign-in screen: username, password and a code from the authenticator app (or a recovery
// code), POST /api/v1/staff/session.

import { html, useState, useRef, useEffect } from '/assets/vendor/preact-htm.js';
import { t } from '../shared/i18n.js';
import { ApiError, SignIn } from './api.js';

function Message(error) {
  if (error instanceof ApiError && error.status === 401) return t('signin.wrong');
  if (error instanceof ApiError && error.status === 429) return t('signin.rateLimited');
  return t('signin.failed');
}

export function SignInScreen({ onSignedIn }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const heading = useRef(null);

  useEffect(() => heading.current?.focus(), []);

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const me = await SignIn(username.trim(), password, code.trim());
      setPassword('');
      setCode('');
      onSignedIn(me);
    } catch (failure) {
      setError(Message(failure));
      setCode('');
      setBusy(false);
    }
  };

  return html`
    <main class="narrow">
      <h1 ref=${heading} tabindex="-1">${t('signin.heading')}</h1>
      <form onSubmit=${submit} novalidate>
        <label for="username">${t('signin.username')}</label>
        <input type="text" id="username" name="username" autocomplete="username" required
               value=${username} onInput=${(e) => setUsername(e.currentTarget.value)} />
        <label for="password">${t('signin.password')}</label>
        <input type="password" id="password" name="password" autocomplete="current-password"
               required value=${password} onInput=${(e) => setPassword(e.currentTarget.value)} />
        <label for="code">${t('signin.code')}</label>
        <input type="text" id="code" name="code" autocomplete="one-time-code" required
               aria-describedby="code-hint" maxlength="20" spellcheck="false"
               value=${code} onInput=${(e) => setCode(e.currentTarget.value)} />
        <p id="code-hint" class="hint">${t('signin.codeHint')}</p>
        <p class="error" role="alert">${error}</p>
        <div class="actions">
          <button type="submit" class="primary" disabled=${busy}>
            ${busy ? t('signin.busy') : t('signin.submit')}
          </button>
        </div>
      </form>
    </main>
  `;
}
