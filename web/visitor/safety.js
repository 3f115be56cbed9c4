// The safety page: what quick exit does and does not hide. Static text, translated in place.

import { AddStrings, Translate, BindLanguageSwitch, OnLanguageChange } from '../shared/i18n.js';
import { InstallQuickExit } from '../shared/quick-exit.js';
import { kVisitorStrings } from './strings.js';

AddStrings(kVisitorStrings);

Translate();
OnLanguageChange(() => Translate());
InstallQuickExit(document.getElementById('quick-exit'), document.getElementById('quick-exit-hint'));
BindLanguageSwitch(document.getElementById('language'));
