// Keeps the server's memory flat on big documents: each analysis of a large file leaves tens of
// megabytes of syntax trees behind, and V8 would rather grow the heap than collect. After
// publishing, a full collection runs (at most twice a second) while the next edit's debounce
// is pending anyway. Falls back to doing nothing when `gc` cannot be exposed.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

let gc: (() => void) | undefined;
try {
  v8.setFlagsFromString('--expose-gc');
  gc = vm.runInNewContext('gc') as () => void;
} catch {
  gc = undefined;
}

let last = 0;
let pending = false;

/** Collects garbage soon if `size` (the text length just analysed) is large. */
export function collectAfterLargeAnalysis(size: number, threshold = 10_000): void {
  if (!gc || size < threshold || pending || Date.now() - last < 500) return;
  pending = true;
  setImmediate(() => {
    pending = false;
    last = Date.now();
    gc!();
  });
}
