import * as assert from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExternalPolicy, findPackageDir } from '../../runtime/flowcode/externals';

describe('which packages stay out of a code package', () => {
  const project = mkdtempSync(join(tmpdir(), 'flowspec-externals-'));
  const pkg = (name: string, fields: Record<string, unknown>, files: string[] = []) => {
    const dir = join(project, 'node_modules', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', ...fields }));
    for (const f of files) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), '');
    }
  };
  pkg('plain', { dependencies: { 'also-plain': '1' } });
  pkg('also-plain', {});
  pkg('gyp', { gypfile: true });
  pkg('prebuilt', { binary: { module_name: 'x' } });
  pkg('napi-rs', { napi: { name: 'x' } });
  pkg('has-addon', {}, ['build/Release/addon.node']);
  pkg('loader-user', { dependencies: { 'node-gyp-build': '4' } });
  pkg('wraps-native', { dependencies: { plain: '1', gyp: '1' } });
  pkg('cycle-a', { dependencies: { 'cycle-b': '1' } });
  pkg('cycle-b', { dependencies: { 'cycle-a': '1' } });
  pkg('data-files', {});
  const dir = (name: string) => findPackageDir(name, project)!;

  it('native markers: a .node file, gypfile, binary, napi, a native loader, or a dependency that has one', () => {
    const policy = new ExternalPolicy();
    for (const name of ['gyp', 'prebuilt', 'napi-rs', 'has-addon', 'loader-user', 'wraps-native'])
      assert.ok(policy.isExternalPackage(dir(name)), name);
    for (const name of ['plain', 'cycle-a', 'data-files']) assert.ok(!policy.isExternalPackage(dir(name)), name);
  });

  it('the known list and flowspec.config.json "external" name packages without markers', () => {
    assert.ok(new ExternalPolicy(['data-files']).isExternalPackage(dir('data-files')));
    assert.ok(new ExternalPolicy().isListed('esbuild'));
  });

  it('a package outside node_modules (a workspace package) is bundled', () => {
    const workspace = join(project, 'packages/native-ws');
    mkdirSync(workspace, { recursive: true });
    writeFileSync(join(workspace, 'package.json'), JSON.stringify({ name: 'native-ws', gypfile: true }));
    assert.ok(!new ExternalPolicy().isExternalPackage(workspace));
  });
});
