// Entry point of the counsellor console.

import { html, render } from '/assets/vendor/preact-htm.js';
import { App } from './app.js';

render(html`<${App} />`, document.getElementById('app'));
