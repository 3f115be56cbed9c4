// The string table of every page, Dutch first (the default), English second: the common strings
// here, each page's own in its strings.js, added with AddStrings().
// t(key, params) looks a key up in the current language; `{name}` placeholders are filled from
// params. The choice of language lives in sessionStorage only (no cookies, no localStorage), so
// quick exit forgets it too. Static markup names its strings with data-i18n="key", which
// Translate() puts in as textContent.

export const kLanguageStorageKey = 'uitweg.lang';
const kLanguages = ['nl', 'en'];

// Strings every page uses; each page adds its own with AddStrings() before showing anything.
export const kCommonStrings = {
  nl: {
    'brand': 'Uitweg',
    'lang.switch': 'English',
    'lang.switchLabel': 'Switch to English',
    'lang.switchLang': 'en',
    'conn.connecting': 'Verbinding maken…',
    'conn.online': 'Verbonden',
    'conn.offline': 'Geen verbinding. We proberen het opnieuw…',
    'msg.pending': 'wordt verzonden…',
    'msg.failed': 'niet verzonden',
    'msg.you': 'Jij',
    'msg.counsellor': 'Hulpverlener',
    'chat.send': 'Verstuur',
    'chat.endedBySystem': 'Het gesprek is beëindigd.',
    'chat.tooLong': 'Je bericht is te lang (hoogstens 4000 tekens).',
    'ended.heading': 'Het gesprek is beëindigd',
    'error.permission': 'Dat mag je niet doen.',
    'error.generic': 'Er ging iets mis. Probeer het opnieuw.',
  },
  en: {
    'brand': 'Uitweg',
    'lang.switch': 'Nederlands',
    'lang.switchLabel': 'Schakel naar Nederlands',
    'lang.switchLang': 'nl',
    'conn.connecting': 'Connecting…',
    'conn.online': 'Connected',
    'conn.offline': 'No connection. Trying again…',
    'msg.pending': 'sending…',
    'msg.failed': 'not sent',
    'msg.you': 'You',
    'msg.counsellor': 'Counsellor',
    'chat.send': 'Send',
    'chat.endedBySystem': 'The conversation has ended.',
    'chat.tooLong': 'Your message is too long (4000 characters at most).',
    'ended.heading': 'The conversation has ended',
    'error.permission': 'You are not allowed to do that.',
    'error.generic': 'Something went wrong. Please try again.',
  },
};

const kStrings = { nl: { ...kCommonStrings.nl }, en: { ...kCommonStrings.en } };

// Adds a page's own strings ({nl: {...}, en: {...}}) to the table. Each page's entry module
// calls it once, first, so the visitor never downloads the console's strings.
export function AddStrings(strings) {
  for (const language of kLanguages) Object.assign(kStrings[language], strings[language]);
}

const listeners = new Set();

// The language chosen earlier in this visit; on the first page, the first of the browser's
// languages that we have; else Dutch.
function StoredLanguage() {
  try {
    const stored = sessionStorage.getItem(kLanguageStorageKey);
    if (kLanguages.includes(stored)) return stored;
  } catch {
    // Storage may be disabled; then the browser's language decides on every page.
  }
  const browser = typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language];
  const preferred = browser
    .map((tag) => String(tag).toLowerCase().split('-')[0])
    .find((language) => kLanguages.includes(language));
  return preferred ?? kLanguages[0];
}

// Keeps `language` (one of the site's, as a server-rendered page shows it) for the rest of the
// visit, so that the next page opens in it.
export function RememberLanguage(language) {
  if (!/^[a-z]{2,3}$/.test(language)) return;
  try {
    sessionStorage.setItem(kLanguageStorageKey, language);
  } catch {
    // Storage may be disabled; the browser's language then decides.
  }
}

let current = StoredLanguage();

// Looks `key` up in the current language, falling back to Dutch. An unknown key is a bug in
// the page, so it throws rather than showing something half-translated.
export function t(key, params = {}) {
  const text = kStrings[current][key] ?? kStrings.nl[key];
  if (text === undefined) throw new Error(`i18n: unknown key ${key}`);
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

// "nl" or "en": for texts that come with both, as the registration form's labels.
export function CurrentLanguage() {
  return current;
}

export function SetLanguage(language) {
  if (!kLanguages.includes(language) || language === current) return;
  current = language;
  try {
    sessionStorage.setItem(kLanguageStorageKey, language);
  } catch {
    // Storage may be disabled; the choice then lasts for this page only.
  }
  document.documentElement.lang = language;
  for (const listener of listeners) listener(language);
}

// "dinsdag 16:00": a weekday and time in the service's time zone (the opening hours are kept
// in Amsterdam's time, wherever the reader is).
export function ServiceDayAndTime(ms) {
  return new Date(ms).toLocaleString(current === 'nl' ? 'nl-NL' : 'en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Amsterdam',
  });
}

// "14:05": the time of day of a UnixMillis timestamp, as the current language writes it.
export function ClockTime(ms) {
  return new Date(ms).toLocaleTimeString(current === 'nl' ? 'nl-NL' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
  });
}

// Calls `listener(language)` after every switch; returns a function that unsubscribes.
export function OnLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Fills every element below `root` that carries data-i18n.
export function Translate(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
}

// Turns `button` into the language switch: it names the other language, in that language.
export function BindLanguageSwitch(button) {
  const update = () => {
    button.textContent = t('lang.switch');
    button.lang = t('lang.switchLang');
    button.setAttribute('aria-label', t('lang.switchLabel'));
  };
  update();
  button.addEventListener('click', () => SetLanguage(t('lang.switchLang')));
  OnLanguageChange(update);
}
