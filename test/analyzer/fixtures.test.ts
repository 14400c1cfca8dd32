// One fixture per case: test/fixtures/analysis/<code>/broken-*.ts with the expected diagnostics
// next to it (broken-*.expected.json: code, severity, message, range), compared whole.
// UPDATE_FIXTURES=1 rewrites the expected files; review the diff by hand before committing.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../../analyzer';
import { assertGoldenJson } from '../support/golden';
import { DIAGNOSTIC_CODES } from '../../analyzer/rules/codes';

const ROOT = join(__dirname, '../fixtures/analysis');

describe('analysis fixtures', () => {
  const fixtureCodes = readdirSync(ROOT)
    .filter((d) => d !== 'valid' && d !== 'golden')
    .sort();
  it('every diagnostic code has a fixture folder, and every folder is a code', () => {
    assert.deepEqual(fixtureCodes, Object.keys(DIAGNOSTIC_CODES).sort());
  });
  for (const code of fixtureCodes) {
    describe(code, () => {
      for (const file of readdirSync(join(ROOT, code))
        .filter((f) => f.endsWith('.ts'))
        .sort()) {
        it(file, () => {
          const path = join(ROOT, code, file);
          const { diagnostics } = analyzeText(path, readFileSync(path, 'utf8'));
          const actual = diagnostics.map(({ code, severity, message, range }) => ({ code, severity, message, range }));
          const expectedFile = path.replace(/\.ts$/, '.expected.json');
          assertGoldenJson(expectedFile, actual);
          assert.ok(
            actual.some((d) => d.code === code),
            `the fixture shows a '${code}' diagnostic`,
          );
          const blocking = diagnostics
            .filter((d) => d.code === code && d.severity === 'error')
            .every((d) => d.blocksRun === (DIAGNOSTIC_CODES[code as keyof typeof DIAGNOSTIC_CODES].blocksRun || undefined));
          assert.ok(blocking, `'${code}' errors say whether they block a run as the catalog does`);
        });
      }
    });
  }
});

describe('valid corpus', () => {
  const dir = join(ROOT, 'valid');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    it(`${file} has no diagnostics`, () => {
      const path = join(dir, file);
      const { flows, diagnostics } = analyzeText(path, readFileSync(path, 'utf8'));
      assert.ok(flows.length > 0, 'the file holds flows');
      assert.deepEqual(
        diagnostics.map((d) => `${d.range.start.line + 1}: ${d.code} ${d.message}`),
        [],
      );
    });
  }
});
