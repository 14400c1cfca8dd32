// How durations, ages and sizes read in the Runs view, the prompts and the language server's hover.
import { strict as assert } from 'node:assert';
import { formatAge, formatBytes, formatDuration } from '../../model/format';

describe('durations, ages and sizes as the editor shows them', () => {
  it('formats durations, ages and sizes', () => {
    assert.strictEqual(formatDuration(850), '850 ms');
    assert.strictEqual(formatDuration(3200), '3.2 s');
    assert.strictEqual(formatDuration(245_000), '4 min 05 s');
    assert.strictEqual(formatDuration(7_380_000), '2 h 03 min');
    const now = new Date('2025-01-01T12:00:00Z');
    assert.strictEqual(formatAge(new Date('2025-01-01T11:59:50Z'), now), 'just now');
    assert.strictEqual(formatAge(new Date('2025-01-01T11:55:00Z'), now), '5 min ago');
    assert.strictEqual(formatAge(new Date('2025-01-01T09:00:00Z'), now), '3 h ago');
    assert.strictEqual(formatBytes(2048), '2.0 KiB');
  });
});
