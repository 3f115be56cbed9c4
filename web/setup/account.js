// A colleague's one-time account link (#token=… from an administrator): choose a password
// and/or link an authenticator app, as the link allows, then see the recovery codes once.
// Purposes: "new" (both), "password", "second_factor".

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
const kMinPassword = 12;

let statusKey = '';
let statusParams = {};
function Status(key, params = {}) {
  statusKey = key;
  statusParams = params;
  $('status').textContent = key ? t(key, params) : '';
}

function LinkErrorKey(status, answer, fallback400) {
  return ErrorKey(status, answer, { forbidden: 'account.badLink', fallback400 });
}

function Finished(answer) {
  $('password-form').hidden = true;
  $('enrol-form').hidden = true;
  Status('account.done', { name: answer.username });
  if (answer.recovery_codes?.length) {
    ShowRecoveryCodes($('recovery-codes'), answer.recovery_codes);
    $('recovery').hidden = false;
    $('recovery-heading').focus();
  }
  $('done').hidden = false;
}

const kPasswordErrors = new Set(['setup.weakPassword', 'setup.tooShort']);

// The password form again, with its error: a password refused at the last step must be
// changeable, not just the code retyped.
function BackToPassword(key) {
  $('enrol-form').hidden = true;
  $('password-form').hidden = false;
  Status(key);
  $('password').focus();
}

async function Complete(token, fields) {
  const { status, answer } = await Post('/api/v1/account-setup', { token, ...fields });
  if (status === 200) {
    Finished(answer);
    return true;
  }
  const key = LinkErrorKey(status, answer, 'setup.wrongCode');
  if (kPasswordErrors.has(key) && fields.password) BackToPassword(key);
  else Status(key);
  return false;
}

// The server checks the password before the app is linked.
async function ShowEnrolment(token, password) {
  const { status, answer } = await Post('/api/v1/account-setup/second-factor', {
    token,
    password,
  });
  if (status !== 200) {
    Status(LinkErrorKey(status, answer, 'error.generic'));
    if (password) $('password').focus();
    return null;
  }
  ShowQrCode($('qr'), answer.qr_svg);
  $('secret').textContent = GroupedKey(answer.secret);
  $('password-form').hidden = true;
  $('enrol-form').hidden = false;
  $('enrol-heading').focus();
  return answer.enrolment;
}

function Begin(token, info) {
  const needsPassword = info.purpose !== 'second_factor';
  const needsApp = info.purpose !== 'password';
  let password = '';
  let enrolment = '';
  Status('');
  const forWhom = () => {
    $('for-whom').textContent = t('account.forWhom', { name: info.username });
  };
  forWhom();
  OnLanguageChange(forWhom);

  $('password-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const typed = $('password').value;
    if ([...typed].length < kMinPassword) return Status('setup.tooShort');
    if (typed !== $('confirm').value) return Status('setup.mismatch');
    $('password-next').disabled = true;
    try {
      password = typed;
      if (needsApp) {
        Status('');
        enrolment = (await ShowEnrolment(token, password)) ?? '';
      } else {
        await Complete(token, { password });
      }
    } catch {
      Status('error.generic');
    } finally {
      $('password-next').disabled = false;
    }
  });

  $('enrol-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('finish').disabled = true;
    try {
      const ok = await Complete(token, {
        password,
        enrolment,
        code: $('code').value.replace(/\s/g, ''),
      });
      if (!ok) $('code').value = '';
    } catch {
      Status('error.generic');
    } finally {
      $('finish').disabled = false;
    }
  });

  if (needsPassword) {
    $('password-form').hidden = false;
  } else {
    ShowEnrolment(token, '')
      .then((sealed) => {
        enrolment = sealed ?? '';
      })
      .catch(() => Status('error.generic'));
  }
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
  if (!token) return Status('account.noToken');
  // No answer at all (no network, or a proxy's page instead of ours) is said, not a blank page.
  let asked;
  try {
    asked = await Post('/api/v1/account-setup/info', { token });
  } catch {
    return Status('error.generic');
  }
  const { status, answer } = asked;
  if (status !== 200) return Status(LinkErrorKey(status, answer, 'account.badLink'));
  Begin(token, answer);
}

Main();
