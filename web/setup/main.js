// First-administrator set-up. The one-time token comes in the URL fragment (#token=…), which
// never reaches a server log; it is read once, kept in memory and removed from the address bar.
//
// Three steps: username and password; linking an authenticator app (QR code or key, then the
// first code it shows); the recovery codes, shown once. The server hands the app's secret out
// sealed and takes it back with the first code, so nothing is stored until the app works.

import { AddStrings, Translate, BindLanguageSwitch, OnLanguageChange, t } from '../shared/i18n.js';
import { kSetupStrings } from './strings.js';
import {
  ErrorKey,
  GroupedKey,
  Post,
  ShowQrCode,
  ShowRecoveryCodes,
  TokenFromHash,
} from './enrol.js';

AddStrings(kSetupStrings);

const $ = (id) => document.getElementById(id);
const kUsernamePattern = /^[a-z0-9._-]{3,40}$/;
const kMinPassword = 12;

// The status line keeps its key, so a language switch can show it again.
let statusKey = '';
let statusParams = {};
function Status(key, params = {}) {
  statusKey = key;
  statusParams = params;
  $('status').textContent = key ? t(key, params) : '';
}

// Whether this page can make the first administrator now: 'open'; 'expired' when there is none
// yet but the link has lapsed (or belongs to another node); 'done' once an account exists;
// 'unknown' without an answer (no network, or a proxy's page instead of ours).
async function SetupState() {
  try {
    const response = await fetch('/api/v1/setup', { credentials: 'omit' });
    if (!response.ok) return 'open';
    const body = await response.json();
    if (body.needed === true) return 'open';
    return body.expired === true ? 'expired' : 'done';
  } catch {
    return 'unknown';
  }
}

function Validate(username, password, confirm) {
  if (!kUsernamePattern.test(username)) return 'setup.badUsername';
  if ([...password].length < kMinPassword) return 'setup.tooShort';
  if (password !== confirm) return 'setup.mismatch';
  return '';
}

function SetupErrorKey(status, answer, fallback400) {
  // The hour ran out while the form was being filled in.
  if (status === 403 && (answer?.error?.message ?? '').includes('expired')) return 'setup.expired';
  return ErrorKey(status, answer, {
    forbidden: 'setup.wrongToken',
    conflict: 'setup.notNeeded',
    fallback400,
  });
}

// A refusal from the server: said in the status line. A lapsed link, or a set-up someone else
// finished meanwhile, ends the set-up here, so that no form is left to send again.
function Refused(key) {
  Status(key);
  if (key !== 'setup.expired' && key !== 'setup.notNeeded') return;
  $('setup-form').hidden = true;
  $('enrol-form').hidden = true;
  $('done').hidden = key !== 'setup.notNeeded';
}

function ShowCodes(codes) {
  ShowRecoveryCodes($('recovery-codes'), codes);
  $('recovery').hidden = false;
  $('done').hidden = false;
  $('recovery-heading').focus();
}

function Setup(token) {
  let account = null;  // { username, password, enrolment } once the app is being linked

  $('setup-form').addEventListener('submit', async (event) => {
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
      const { status, answer } = await Post('/api/v1/setup/second-factor', {
        token,
        username,
        password,
      });
      if (status !== 200) {
        Refused(SetupErrorKey(status, answer, 'setup.badUsername'));
        return;
      }
      account = { username, password, enrolment: answer.enrolment };
      Status('');
      ShowQrCode($('qr'), answer.qr_svg);
      $('secret').textContent = GroupedKey(answer.secret);
      $('setup-form').hidden = true;
      $('enrol-form').hidden = false;
      $('enrol-heading').focus();
    } catch {
      Status('error.generic');
    } finally {
      $('submit').disabled = false;
    }
  });

  $('enrol-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('create').disabled = true;
    try {
      const { status, answer } = await Post('/api/v1/setup', {
        token,
        ...account,
        code: $('code').value.replace(/\s/g, ''),
      });
      if (status !== 201) {
        Refused(SetupErrorKey(status, answer, 'setup.wrongCode'));
        $('code').value = '';
        return;
      }
      account = null;
      $('enrol-form').hidden = true;
      Status('setup.done', { name: answer.username });
      ShowCodes(answer.recovery_codes);
    } catch {
      Status('error.generic');
    } finally {
      $('create').disabled = false;
    }
  });
}

async function Main() {
  Translate();
  OnLanguageChange(() => {
    Translate();
    if (statusKey) Status(statusKey, statusParams);
    $('qr').firstElementChild?.setAttribute('aria-label', t('setup.qrLabel'));
  });
  BindLanguageSwitch($('language'));
  const token = TokenFromHash();
  const state = await SetupState();
  if (state === 'unknown') {
    Status('error.generic');
    return;
  }
  if (state === 'expired') {
    Status('setup.expired');
    return;
  }
  if (state === 'done') {
    Status('setup.notNeeded');
    $('done').hidden = false;
    return;
  }
  if (!token) {
    Status('setup.noToken');
    return;
  }
  $('setup-form').hidden = false;
  Setup(token);
}

Main();
