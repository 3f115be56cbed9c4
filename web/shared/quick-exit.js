// Quick exit for visitor pages, after the GOV.UK "Exit this page" pattern: the marked button,
// or Shift pressed three times within a second, blanks the page at once, forgets everything
// this tab kept (sessionStorage), replaces the history entry and goes to a neutral site. Our
// pages move from one to another in that one entry, so none of them is left behind it.
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

function QuickExit() {
  exited = true;
  StopKeepingLanguage();
  document.body.replaceChildren();
  document.title = '';
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

// A link to another of our pages replaces this page in the tab's history instead of adding an
// entry, so that Back after quick exit leads to the page the visitor came from, not to one of
// ours. Back then leaves our pages too; every page links back to the chat. A link opened
// elsewhere (a modifier key, a target) is left to the browser.
function MoveWithoutHistory() {
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
    if (!link || link.target || link.hasAttribute('download')) return;
    const to = new URL(link.href, location.href);
    if (to.origin !== location.origin) return;
    // A link within this page (a skip link) adds no page to go back to.
    if (to.pathname === location.pathname && to.search === location.search && to.hash) return;
    event.preventDefault();
    location.replace(to.href);
  });
}

// Makes `control` (a button, or a link to the neutral site that works without scripts) the
// quick exit, starts listening for Shift, and keeps our pages to one entry in the history.
export function WireQuickExit(control) {
  control.addEventListener('click', (event) => {
    event.preventDefault();
    QuickExit();
  });
  ListenForShift();
  MoveWithoutHistory();
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
