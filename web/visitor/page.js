// What the visitor's pages that scripts build have in common: their strings (Arabic loaded only
// when a visitor chooses it), the choice of language, quick exit, and links to our other pages
// that carry the visit's language.

import {
  AddLanguage,
  AddStrings,
  BindLanguageChoice,
  CurrentLanguage,
  LanguageReady,
  OnLanguageChange,
  SetLanguage,
  Translate,
} from '../shared/i18n.js';
import { InstallQuickExit, ReplaceOnOwnLinks } from '../shared/quick-exit.js';
import { kVisitorStrings } from './strings.js';

AddStrings(kVisitorStrings);
AddLanguage('ar', async () => (await import('./strings-ar.js')).kArabicStrings);

// Links to the information pages and the self-check (a[data-page]) carry the visit's language.
function LinkPages() {
  for (const link of document.querySelectorAll('a[data-page]')) {
    const [path, query] = link.dataset.page.split('?');
    const params = new URLSearchParams(query ?? '');
    params.set('lang', CurrentLanguage());
    link.href = `${path}?${params}`;
  }
}

// Shows the page in the visit's language (or in `asked`, a language the address named, which
// then holds for the visit); `onLanguageChange` runs after every switch.
export async function StartVisitorPage({ asked = null, onLanguageChange = () => {} } = {}) {
  ReplaceOnOwnLinks();
  // Before anything is awaited: on a slow line another language's strings may take long, and
  // leaving must work all the same (labelled in Dutch until they come; Translate relabels).
  InstallQuickExit(document.getElementById('quick-exit'), document.getElementById('quick-exit-hint'));
  if (asked) await SetLanguage(asked);
  await LanguageReady();
  Translate();
  LinkPages();
  OnLanguageChange(() => {
    Translate();
    LinkPages();
    onLanguageChange();
  });
  BindLanguageChoice(document.getElementById('languages'));
}
