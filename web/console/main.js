// Entry point of the counsellor console.

import { html, render } from '/assets/vendor/preact-htm.js';
import { AddStrings } from '../shared/i18n.js';
import { App } from './app.js';
import { kConsoleStrings } from './strings.js';

AddStrings(kConsoleStrings);

render(html`<${App} />`, document.getElementById('app'));
