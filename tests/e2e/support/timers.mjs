// Fake timers for the unit tests of the pages' modules, alike on Node 18 (Debian 12's) and 20.

import { mock } from 'node:test';

const realSetInterval = globalThis.setInterval;
const realClearInterval = globalThis.clearInterval;

// mock.timers for `apis` (setTimeout, and setInterval made of timeouts), alike on Node 18 and 20.
// An interval fires at most once per tick and counts its period from the end of the tick that
// fired it: tick by its period at most.
// Node 18's mock loses another timer when asked to clear one that is not pending (never set,
// fired, or cleared before), which the pages do, and when an interval is cleared from its own
// callback: only pending timeouts are cleared, and intervals are a chain of timeouts.
export function EnableFakeTimers(apis = ['setTimeout', 'setInterval']) {
  // Node 20 takes the list too but then fakes every timer and Date (from 0): named, only this.
  try {
    mock.timers.enable({ apis: ['setTimeout'] });
  } catch {
    mock.timers.enable(['setTimeout']);
  }
  const pending = new Set();
  const set = globalThis.setTimeout;
  const clear = globalThis.clearTimeout;
  const after = (callback, ms, ...args) => {
    const id = set(
      (...given) => {
        pending.delete(id);
        callback(...given);
      },
      ms,
      ...args,
    );
    pending.add(id);
    return id;
  };
  const cancel = (id) => {
    if (pending.delete(id)) clear(id);
  };
  globalThis.setTimeout = after;
  globalThis.clearTimeout = cancel;
  if (apis.includes('setInterval')) {
    globalThis.setInterval = (callback, ms, ...args) => {
      const interval = { next: null, stopped: false };
      const again = () => {
        interval.next = after(() => {
          if (interval.stopped) return;
          again();
          callback(...args);
        }, ms);
      };
      again();
      return interval;
    };
    globalThis.clearInterval = (interval) => {
      if (!interval || typeof interval !== 'object') return;
      interval.stopped = true;
      cancel(interval.next);
    };
  }
}

// Fake timers, and a Date.now that moves with them (node:test mocks Date itself only from Node
// 20.11).
export function FakeClock() {
  EnableFakeTimers();
  const realNow = Date.now;
  const start = realNow();
  let elapsed = 0;
  Date.now = () => start + elapsed;
  return {
    tick(ms) {
      elapsed += ms;
      mock.timers.tick(ms);
    },
    reset() {
      Date.now = realNow;
      ResetFakeTimers();
    },
  };
}

// Puts back the real timers.
export function ResetFakeTimers() {
  mock.timers.reset();
  globalThis.setInterval = realSetInterval;
  globalThis.clearInterval = realClearInterval;
}
