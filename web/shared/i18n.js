// The string table of every page, Dutch first (the default), English second: the common strings
// here, each page's own in its strings.js, added with AddStrings(). A page may add further
// languages the same way (the visitor's pages add Arabic, written right to left); a key missing
// in one falls back to Dutch.
// t(key, params) looks a key up in the current language; `{name}` placeholders are filled from
// params. The choice of language lives in sessionStorage only (no cookies, no localStorage), so
// quick exit forgets it too. Static markup names its strings with data-i18n="key", which
// Translate() puts in as textContent.

export const kLanguageStorageKey = 'uitweg.lang';
const kLanguages = ['nl', 'en'];
// Each language's own name, for the choice between them; and how it writes dates.
const kLanguageNames = { nl: 'Nederlands', en: 'English', ar: 'العربية' };
const kLocales = { nl: 'nl-NL', en: 'en-GB', ar: 'ar' };
const kRightToLeft = new Set(['ar']);

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

// Adds a page's own strings ({nl: {...}, en: {...}}, or a further language's) to the table.
// Each page's entry module calls it first, so the visitor never downloads the console's strings.
export function AddStrings(strings) {
  for (const [language, table] of Object.entries(strings)) {
    if (!kStrings[language]) {
      kStrings[language] = {};
      kLanguages.push(language);
    }
    Object.assign(kStrings[language], table);
  }
  current = StoredLanguage();
}

const loaders = new Map();

// A further language whose strings load only when it is chosen (`load` answers its table), so
// that nobody downloads a language they do not read. Call LanguageReady() before showing text.
export function AddLanguage(language, load) {
  if (!kLanguages.includes(language)) kLanguages.push(language);
  loaders.set(language, load);
  current = StoredLanguage();
}

async function Loaded(language) {
  const load = loaders.get(language);
  if (!load) return true;
  try {
    kStrings[language] = { ...(await load()) };
    loaders.delete(language);
    return true;
  } catch {
    return false;
  }
}

// Resolves once the current language's strings are here (Dutch if they cannot be loaded).
export async function LanguageReady() {
  if (!(await Loaded(current))) current = kLanguages[0];
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

// False once quick exit has begun: a language whose strings were still loading must not be
// written back into the storage the exit cleared.
let keeping = true;

export function StopKeepingLanguage() {
  keeping = false;
}

// Keeps `language` (one of the site's, as a server-rendered page shows it) for the rest of the
// visit, so that the next page opens in it.
export function RememberLanguage(language) {
  if (!keeping || !/^[a-z]{2,3}$/.test(language)) return;
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
  const text = kStrings[current]?.[key] ?? kStrings.nl[key];
  if (text === undefined) throw new Error(`i18n: unknown key ${key}`);
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

// The text of `key` for a count `n` (its {n}): `key#two`, `key#few`, … where the current
// language has that form (its category by Intl.PluralRules), else `key` itself. Arabic has six
// forms; Dutch and English need only the one the caller picks.
export function Plural(key, n) {
  const form = `${key}#${new Intl.PluralRules(kLocales[current] ?? current).select(n)}`;
  return t(kStrings[current]?.[form] !== undefined ? form : key, { n });
}

// "nl" or "en": for texts that come with both, as the registration form's labels.
export function CurrentLanguage() {
  return current;
}

export async function SetLanguage(language) {
  if (!kLanguages.includes(language) || language === current) return;
  if (!(await Loaded(language))) return;
  current = language;
  try {
    if (keeping) sessionStorage.setItem(kLanguageStorageKey, language);
  } catch {
    // Storage may be disabled; the choice then lasts for this page only.
  }
  ShowLanguage();
  for (const listener of listeners) listener(language);
}

function ShowLanguage() {
  document.documentElement.lang = current;
  document.documentElement.dir = kRightToLeft.has(current) ? 'rtl' : 'ltr';
}

// "dinsdag 16:00": a weekday and time in the service's time zone (the opening hours are kept
// in Amsterdam's time, wherever the reader is).
export function ServiceDayAndTime(ms) {
  return new Date(ms).toLocaleString(kLocales[current] ?? 'nl-NL', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Amsterdam',
  });
}

// "2026-12-07": the service's date (Amsterdam's) at a moment, as date inputs and the API write
// it. The server counts days in Amsterdam's time: a browser's own date is the day before (or
// after) for an hour or more each night, wherever it is set to another zone.
export function ServiceDateOf(ms) {
  const parts = new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: 'Europe/Amsterdam',
  }).formatToParts(ms);
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

// "vrijdag 25 december": a local date of the service ("YYYY-MM-DD"), as the current language
// writes it.
export function ServiceDate(date) {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString(kLocales[current] ?? 'nl-NL', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'Europe/Amsterdam',
  });
}

// "14:05": the time of day of a UnixMillis timestamp, as the current language writes it.
export function ClockTime(ms) {
  return new Date(ms).toLocaleTimeString(kLocales[current] ?? 'nl-NL', {
    hour: '2-digit',
    minute: '2-digit',
  });
}

// Calls `listener(language)` after every switch; returns a function that unsubscribes.
export function OnLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Writes the text of `key` into `el` and keeps the key on it, so that a switch of language
// (Translate) says it again in the new one; no key empties it. For status and error lines that
// stay on screen.
export function Say(el, key = null) {
  if (key) {
    el.dataset.i18n = key;
  } else {
    delete el.dataset.i18n;
  }
  const text = key ? t(key) : '';
  if (el.textContent !== text) el.textContent = text;
}

// Fills every element below `root` that carries data-i18n.
export function Translate(root = document) {
  ShowLanguage();
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

// Fills `list` (a <ul>) with one button per language, each named in its own language; the
// current one is pressed.
export function BindLanguageChoice(list) {
  const render = () => {
    // The button that was pressed is made anew: the keyboard stays on it, not on the page.
    const hadFocus = list.contains(document.activeElement);
    list.replaceChildren(
      ...kLanguages.map((language) => {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'link-button';
        button.lang = language;
        button.textContent = kLanguageNames[language] ?? language;
        button.setAttribute('aria-pressed', String(language === current));
        button.addEventListener('click', () => SetLanguage(language));
        item.append(button);
        return item;
      }),
    );
    if (hadFocus) list.querySelector('[aria-pressed="true"]')?.focus();
  };
  render();
  OnLanguageChange(render);
}
