// Quick exit for visitor pages, after the GOV.UK "Exit this page" pattern: the marked button,
// or Shift pressed three times within a second, blanks the page at once, forgets everything
// this tab kept (sessionStorage), replaces the history entry and goes to a neutral site. Our own
// links replace the entry too (ReplaceOnOwnLinks), so that it is the only one of this site.
// The neutral site is only navigated to; our pages never load anything from it.

import { t, OnLanguageChange, StopKeepingLanguage } from './i18n.js';

export const kNeutralSite = 'https://www.google.nl/';
const kShiftPresses = 3;
const kShiftWindowMs = 1000;

const exitHooks = new Set();
let exited = false;

// True once quick exit has begun. The page runs on until the neutral site answers, and an
// answer that comes in meanwhile (a chat just started) must not write anything back.
export function HasExited() {
  return exited;
}

// `hook()` runs right before leaving (e.g. to close a WebSocket without reconnecting).
export function OnQuickExit(hook) {
  exitHooks.add(hook);
}

// Takes everything off the page at once, title included.
export function BlankPage() {
  document.body.replaceChildren();
  document.title = '';
}

function QuickExit() {
  exited = true;
  StopKeepingLanguage();
  BlankPage();
  for (const hook of exitHooks) {
    try {
      hook();
    } catch {
      // Leaving matters more than a hook that failed.
    }
  }
  try {
    sessionStorage.clear();
  } catch {
    // Storage may be disabled; then nothing was kept.
  }
  location.replace(kNeutralSite);
}

// Counts Shift presses (not auto-repeats); three within the window trigger the exit.
function ListenForShift() {
  let presses = [];
  document.addEventListener(
    'keydown',
    (event) => {
      if (event.key !== 'Shift' || event.repeat) {
        if (event.key !== 'Shift') presses = [];
        return;
      }
      const now = performance.now();
      presses = presses.filter((at) => now - at < kShiftWindowMs);
      presses.push(now);
      if (presses.length >= kShiftPresses) QuickExit();
    },
    true,
  );
}

// Our links replace the page in the tab's history instead of adding one: the visit then holds a
// single entry of this site, the one quick exit replaces, so that Back after an exit does not
// lead to the pages read before it. (In-page links, new tabs and downloads go their usual way.)
// Every visitor page calls it first thing, before it waits for anything.
export function ReplaceOnOwnLinks() {
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
    if (!link || (link.target && link.target !== '_self') || link.hasAttribute('download')) return;
    const to = new URL(link.href, location.href);
    if (to.origin !== location.origin) return;
    if (to.hash && to.pathname === location.pathname && to.search === location.search) return;
    event.preventDefault();
    location.replace(to.href);
  });
}

// Makes `control` (a button, or a link to the neutral site that works without scripts) the
// quick exit, and starts listening for Shift.
export function WireQuickExit(control) {
  control.addEventListener('click', (event) => {
    event.preventDefault();
    QuickExit();
  });
  ListenForShift();
}

// Fills the exit bar (an element with a button and a hint) and starts listening.
export function InstallQuickExit(button, hint) {
  const label = () => {
    button.textContent = t('exit.button');
    hint.textContent = t('exit.hint');
  };
  label();
  OnLanguageChange(label);
  WireQuickExit(button);
}
