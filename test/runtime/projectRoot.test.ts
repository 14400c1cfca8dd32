import * as assert from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datastoreRoot } from '../../runtime/datastore';
import { loadProjectConfig } from '../../runtime/config';

describe('the datastore root seen from a folder', () => {
  let project: string;
  beforeEach(() => {
    project = join(mkdtempSync(join(tmpdir(), 'flowspec-root-')), 'project');
    mkdirSync(join(project, 'flows/deep'), { recursive: true });
    writeFileSync(join(project, 'package.json'), '{}');
  });

  it('is .flowspec/ at the project root (the folder with package.json) from any subfolder', () => {
    assert.equal(datastoreRoot(join(project, 'flows/deep'), {}), join(project, '.flowspec'));
    assert.equal(datastoreRoot(project, {}), join(project, '.flowspec'));
  });

  it('is the nearest existing .flowspec/ in the folder or an ancestor, as Metaflow finds .metaflow', () => {
    mkdirSync(join(project, 'flows/.flowspec'));
    assert.equal(datastoreRoot(join(project, 'flows/deep'), {}), join(project, 'flows/.flowspec'));
    assert.equal(datastoreRoot(project, {}), join(project, '.flowspec'));
  });

  it('takes datastore.root of the nearest flowspec.config.json first, relative to that file', () => {
    mkdirSync(join(project, 'flows/.flowspec'));
    writeFileSync(join(project, 'flowspec.config.json'), JSON.stringify({ datastore: { root: 'runs' } }));
    assert.equal(datastoreRoot(join(project, 'flows/deep'), {}), join(project, 'runs'));
    assert.equal(loadProjectConfig(join(project, 'flows/deep'))?.dir, project, 'the config is found by the same walk');
  });

  it('takes FLOWSPEC_DATASTORE_ROOT over everything (relative to the folder; s3:// as given)', () => {
    writeFileSync(join(project, 'flowspec.config.json'), JSON.stringify({ datastore: { root: 'runs' } }));
    assert.equal(datastoreRoot(join(project, 'flows'), { FLOWSPEC_DATASTORE_ROOT: 'store' }), join(project, 'flows/store'));
    assert.equal(datastoreRoot(project, { FLOWSPEC_DATASTORE_ROOT: 's3://bucket/p' }), 's3://bucket/p');
  });

  it('is .flowspec/ in the folder itself outside any project', () => {
    const bare = mkdtempSync(join(tmpdir(), 'flowspec-bare-'));
    assert.equal(datastoreRoot(bare, {}), join(bare, '.flowspec'));
  });
});
