import * as assert from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { resolveDatastoreRoot } from '../../client/datastoreRoot';

describe('the datastore root of a workspace folder', () => {
  const none = () => undefined;
  it('defaults to .flowspec/ in the folder', () => {
    assert.strictEqual(resolveDatastoreRoot('/w', '', {}, none), path.join('/w', '.flowspec'));
  });
  it('takes the setting, then FLOWSPEC_DATASTORE_ROOT, relative to the folder', () => {
    assert.strictEqual(resolveDatastoreRoot('/w', 'data/runs', { FLOWSPEC_DATASTORE_ROOT: '/elsewhere' }, none), '/w/data/runs');
    assert.strictEqual(resolveDatastoreRoot('/w', '  ', { FLOWSPEC_DATASTORE_ROOT: 'store' }, none), '/w/store');
  });
  it('keeps s3:// roots as they are (path.resolve would make /w/s3:/bucket of them)', () => {
    assert.strictEqual(resolveDatastoreRoot('/w', 's3://bucket/runs', {}, none), 's3://bucket/runs');
    assert.strictEqual(resolveDatastoreRoot('/w', '', { FLOWSPEC_DATASTORE_ROOT: 's3://b' }, none), 's3://b');
  });
  it('falls back to datastore.root of flowspec.config.json, like the CLI', () => {
    assert.strictEqual(resolveDatastoreRoot('/w', '', {}, () => 's3://team/flows'), 's3://team/flows');
    const dir = mkdtempSync(path.join(tmpdir(), 'flowspec-root-'));
    writeFileSync(path.join(dir, 'flowspec.config.json'), JSON.stringify({ datastore: { root: 'shared/store' } }));
    assert.strictEqual(resolveDatastoreRoot(path.join(dir, 'sub'), '', {}), path.join(dir, 'shared/store'));
    writeFileSync(path.join(dir, 'flowspec.config.json'), '{ broken');
    assert.strictEqual(resolveDatastoreRoot(dir, '', {}), path.join(dir, '.flowspec'), 'a broken config file counts as none');
  });
});
