// First-administrator set-up. The one-time token comes in the URL fragment (#token=…), which
// never reaches a server log; it is read once, kept in memory and removed from the address bar.

import { AddStrings, Translate, BindLanguageSwitch, OnLanguageChange, t } from '../shared/i18n.js';
import { kSetupStrings } from './strings.js';

AddStrings(kSetupStrings);

const $ = (id) => document.getElementById(id);
const kUsernamePattern = /^[a-z0-9._-]{3,40}$/;
const kMinPassword = 10;

function TokenFromHash() {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  history.replaceState(null, '', location.pathname + location.search);
  return token;
}

// The status line keeps its key, so a language switch can show it again.
let statusKey = '';
let statusParams = {};
function Status(key, params = {}) {
  statusKey = key;
  statusParams = params;
  $('status').textContent = key ? t(key, params) : '';
}

async function Needed() {
  const response = await fetch('/api/v1/setup', { credentials: 'omit' });
  if (!response.ok) return true;
  const body = await response.json();
  return body.needed === true;
}

function Validate(username, password, confirm) {
  if (!kUsernamePattern.test(username)) return 'setup.badUsername';
  if ([...password].length < kMinPassword) return 'setup.tooShort';
  if (password !== confirm) return 'setup.mismatch';
  return '';
}

function ErrorKey(status) {
  if (status === 403) return 'setup.wrongToken';
  if (status === 409) return 'setup.notNeeded';
  if (status === 400) return 'setup.badUsername';
  return 'error.generic';
}

async function Submit(token, event) {
  event.preventDefault();
  const username = $('username').value.trim();
  const password = $('password').value;
  const problem = Validate(username, password, $('confirm').value);
  if (problem) {
    Status(problem);
    return;
  }
  $('submit').disabled = true;
  try {
    const response = await fetch('/api/v1/setup', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token, username, password }),
      credentials: 'omit',
    });
    if (response.status === 201) {
      $('setup-form').hidden = true;
      $('done').hidden = false;
      Status('setup.done', { name: username });
      return;
    }
    Status(ErrorKey(response.status));
  } catch {
    Status('error.generic');
  } finally {
    $('submit').disabled = false;
  }
}

async function Main() {
  Translate();
  OnLanguageChange(() => {
    Translate();
    if (statusKey) Status(statusKey, statusParams);
  });
  BindLanguageSwitch($('language'));
  const token = TokenFromHash();
  if (!(await Needed())) {
    Status('setup.notNeeded');
    $('done').hidden = false;
    return;
  }
  if (!token) {
    Status('setup.noToken');
    return;
  }
  $('setup-form').hidden = false;
  $('setup-form').addEventListener('submit', (event) => Submit(token, event));
}

Main();
