// One action at a time, for a save or a button that writes: a second click (a double click)
// while the first is under way does nothing, and `busy` disables the button meanwhile. A second
// save would name the version the first replaced and be refused as if a colleague had saved; a
// second create would be refused as taken, a second scan would scan twice.
import { useRef, useState } from '/assets/vendor/preact-htm.js';

// Returns [busy, run]: run(action) awaits `action` unless one runs already.
export function useOneAtATime() {
  const running = useRef(false);
  const [busy, setBusy] = useState(false);
  const run = async (action) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    try {
      await action();
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  return [busy, run];
}
