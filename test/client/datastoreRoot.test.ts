import * as assert from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { resolveDatastoreRoot } from '../../client/datastoreRoot';
import { datastoreRoot } from '../../runtime/datastore';

describe('the datastore root of a workspace folder', () => {
  let dir: string;
  const saved = process.env.FLOWSPEC_DATASTORE_ROOT;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'flowspec-root-'));
    delete process.env.FLOWSPEC_DATASTORE_ROOT;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.FLOWSPEC_DATASTORE_ROOT;
    else process.env.FLOWSPEC_DATASTORE_ROOT = saved;
  });

  it('defaults to .flowspec/ in the folder', () => {
    assert.strictEqual(resolveDatastoreRoot(dir, ''), path.join(dir, '.flowspec'));
  });
  it('takes the setting, then FLOWSPEC_DATASTORE_ROOT, relative to the folder', () => {
    process.env.FLOWSPEC_DATASTORE_ROOT = '/elsewhere';
    assert.strictEqual(resolveDatastoreRoot('/w', 'data/runs'), '/w/data/runs');
    process.env.FLOWSPEC_DATASTORE_ROOT = 'store';
    assert.strictEqual(resolveDatastoreRoot('/w', '  '), '/w/store');
  });
  it('keeps s3:// roots as they are (path.resolve would make /w/s3:/bucket of them)', () => {
    assert.strictEqual(resolveDatastoreRoot('/w', 's3://bucket/runs'), 's3://bucket/runs');
    process.env.FLOWSPEC_DATASTORE_ROOT = 's3://b';
    assert.strictEqual(resolveDatastoreRoot('/w', ''), 's3://b');
  });
  it('falls back to datastore.root of flowspec.config.json, like the CLI', () => {
    writeFileSync(path.join(dir, 'flowspec.config.json'), JSON.stringify({ datastore: { root: 's3://team/flows' } }));
    assert.strictEqual(resolveDatastoreRoot(dir, ''), 's3://team/flows');
    writeFileSync(path.join(dir, 'flowspec.config.json'), JSON.stringify({ datastore: { root: 'shared/store' } }));
    assert.strictEqual(resolveDatastoreRoot(path.join(dir, 'sub'), ''), path.join(dir, 'shared/store'));
    writeFileSync(path.join(dir, 'flowspec.config.json'), '{ broken');
    assert.strictEqual(resolveDatastoreRoot(dir, ''), path.join(dir, '.flowspec'), 'a broken config file counts as none');
  });
  it("is the runtime's root for a folder inside a project, so the Runs view and `flowspec runs` there agree", () => {
    writeFileSync(path.join(dir, 'package.json'), '{}');
    mkdirSync(path.join(dir, '.flowspec'));
    const flows = path.join(dir, 'flows');
    mkdirSync(flows);
    assert.strictEqual(resolveDatastoreRoot(flows, ''), path.resolve(flows, datastoreRoot(flows)));
  });
});
