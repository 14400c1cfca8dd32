// Golden files: the whole output compared with a file kept in the repo. UPDATE_FIXTURES=1 writes
// them (review the diff by hand before committing); otherwise a missing golden file fails the test,
// so a new case cannot pass by writing its own expectation.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const update = process.env.UPDATE_FIXTURES === '1';

/** Compares text with the golden file (or writes it under UPDATE_FIXTURES=1). */
export function assertGoldenText(file: string, actual: string): void {
  if (update) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  assert.ok(existsSync(file), `golden file ${file} is missing: run with UPDATE_FIXTURES=1 to write it, then review it`);
  assert.equal(actual, readFileSync(file, 'utf8'));
}

/** Compares a value with the golden JSON file (or writes it under UPDATE_FIXTURES=1). */
export function assertGoldenJson(file: string, actual: unknown): void {
  if (update) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(actual, null, 2) + '\n');
  }
  assert.ok(existsSync(file), `golden file ${file} is missing: run with UPDATE_FIXTURES=1 to write it, then review it`);
  assert.deepEqual(actual, JSON.parse(readFileSync(file, 'utf8')));
}
