// An information page (rendered by the server, readable without this script): the quick exit
// link becomes the full quick exit, and the page's language is kept for the visit.

import { RememberLanguage } from '../shared/i18n.js';
import { WireQuickExit } from '../shared/quick-exit.js';

RememberLanguage(document.documentElement.lang);
WireQuickExit(document.getElementById('quick-exit'));
