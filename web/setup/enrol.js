// What both set-up pages do alike: post JSON, show the server's QR code for the authenticator
// app, and show recovery codes once.

import { t } from '../shared/i18n.js';

// POSTs `body` as JSON; returns {status, answer} (answer {} when the body is not JSON).
export async function Post(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'omit',
  });
  let answer = {};
  try {
    answer = await response.json();
  } catch {
    answer = {};
  }
  return { status: response.status, answer };
}

// The string key for what a set-up request answered: `forbidden` for 403 (a bad token or link),
// the password's fault or else `fallback400` for 400, a generic failure otherwise.
export function ErrorKey(status, answer, { forbidden, fallback400, conflict = 'error.generic' }) {
  if (status === 403) return forbidden;
  if (status === 409) return conflict;
  if (status === 400) {
    const message = answer?.error?.message ?? '';
    if (message.includes('too easy')) return 'setup.weakPassword';
    if (message.includes('password')) return 'setup.tooShort';
    return fallback400;
  }
  return 'error.generic';
}

// The server's SVG, parsed as an image document: nothing in it can run.
export function ShowQrCode(container, svgText) {
  const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const svg = document.importNode(parsed.documentElement, true);
  svg.setAttribute('aria-label', t('setup.qrLabel'));
  container.replaceChildren(svg);
}

// The key in groups of four, as authenticator apps show it.
export function GroupedKey(secret) {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

export function ShowRecoveryCodes(list, codes) {
  list.replaceChildren(
    ...codes.map((code) => {
      const item = document.createElement('li');
      item.textContent = code;
      return item;
    }),
  );
}

// Reads the one-time token from the URL fragment (which never reaches a server log) and takes
// it out of the address bar.
export function TokenFromHash() {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  history.replaceState(null, '', location.pathname + location.search);
  return token;
}
