// An information page (rendered by the server, readable without this script): the quick exit
// link becomes the full quick exit, and a language the reader chose (?lang=, in which the page
// is written) is kept for the visit; one the browser suggested, or a page's Dutch stand-in for a
// missing translation, is not.

import { RememberLanguage } from '../shared/i18n.js';
import { ReplaceOnOwnLinks, WireQuickExit } from '../shared/quick-exit.js';
import { WatchLeaving } from './session.js';

ReplaceOnOwnLinks();
WatchLeaving();
const chosen = new URLSearchParams(location.search).get('lang');
if (chosen && chosen === document.documentElement.lang) RememberLanguage(chosen);
WireQuickExit(document.getElementById('quick-exit'));
