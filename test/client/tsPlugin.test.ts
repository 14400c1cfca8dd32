// The extension's TypeScript server plugin (client/tsPlugin), through a real tsserver started the
// way VS Code starts it for `contributes.typescriptServerPlugins`: projects in a temp folder
// outside the repo, with no node_modules, made by `flowspec init`.
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startTsServer } from '../support/tsserver.mjs';

const REPO = path.resolve(__dirname, '../..');

/** Every artifact and join form a flow uses, plus Node's modules and globals and the client API. */
const KITCHEN_SINK = `import { FlowSpec, Inputs, step } from 'flowspec';
import { Flow } from 'flowspec/client';
import { readFileSync } from 'node:fs';

export class SinkFlow extends FlowSpec {
  @step start() {
    this.x = 1;
    this.items = [1, 2];
    this.home = process.env.HOME ?? readFileSync('/etc/hostname', 'utf8');
    this.next(this.a, this.b);
  }
  @step a() { this.next(this.each, { foreach: 'items' }); }
  @step each() { this.doubled = this.input * 2 + (this.index ?? 0); this.next(this.gather); }
  @step gather(inputs: Inputs) { this.x = [...inputs].length; this.next(this.j); }
  @step b() { this.next(this.j); }
  @step j(inputs: Inputs) {
    this.sum = inputs.gather.x + inputs[1].x + inputs.length;
    this.latest = new Flow('SinkFlow').latestRun?.id;
    this.next(this.end);
  }
  @step end() { const n: number = this.sum; console.log(n, Buffer.from('x')); }
}
`;

describe('the TypeScript server plugin (types without installing)', function () {
  let root: string;
  let server: ReturnType<typeof startTsServer>;
  let plain: ReturnType<typeof startTsServer>;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'flowspec-tsplugin-'));
    server = startTsServer({ pluginProbeLocation: REPO });
    plain = startTsServer();
  });
  after(() => {
    server.stop();
    plain.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /** A project made by `flowspec init`, plus `files`. */
  function project(name: string, files: Record<string, string> = {}): string {
    const dir = path.join(root, name);
    const r = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'init', dir], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    }
    return dir;
  }

  it('without it, TypeScript cannot find flowspec in a project with no node_modules (the problem it solves)', async () => {
    const dir = project('plain');
    const diags = await plain.diagnostics(path.join(dir, 'flows/hello.ts'), dir);
    assert.ok(
      diags.some((d) => /TS2307 1: Cannot find module 'flowspec'/.test(d)),
      diags.join('\n'),
    );
  });

  it('with it, the example flow of `flowspec init` and every flow form type-check with zero problems (strict)', async () => {
    const dir = project('strict', { 'flows/sink.ts': KITCHEN_SINK });
    assert.deepStrictEqual(await server.diagnostics(path.join(dir, 'flows/hello.ts'), dir), []);
    assert.deepStrictEqual(await server.diagnostics(path.join(dir, 'flows/sink.ts'), dir), []);
  });

  it('works in an ESM project ("type": "module") under NodeNext resolution too', async () => {
    const dir = project('nodenext', { 'flows/sink.ts': KITCHEN_SINK.replace('this.x = 1;', 'this.x = 1; this.url = import.meta.url;') });
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true },
      }),
    );
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...pkg, type: 'module' }));
    assert.deepStrictEqual(await server.diagnostics(path.join(dir, 'flows/sink.ts'), dir), []);
    assert.deepStrictEqual(await server.diagnostics(path.join(dir, 'flows/hello.ts'), dir), []);
  });

  it('leaves real TypeScript errors in place', async () => {
    const dir = project('error', { 'flows/bad.ts': KITCHEN_SINK.replace('const n: number = this.sum;', "const n: number = 'many';") });
    const diags = await server.diagnostics(path.join(dir, 'flows/bad.ts'), dir);
    assert.deepStrictEqual(diags, ["TS2322 21: Type 'string' is not assignable to type 'number'."]);
  });

  it('lets an installed flowspec win over the bundled one', async () => {
    const uses = "import { installedOnly } from 'flowspec';\nexport const n: number = installedOnly;\n";
    const bundled = project('bundled', { 'uses.ts': uses });
    assert.match(
      (await server.diagnostics(path.join(bundled, 'uses.ts'), bundled)).join('\n'),
      /TS2305 1: Module '"flowspec"' has no exported member 'installedOnly'/,
    );
    const installed = project('installed', {
      'uses.ts': uses,
      'node_modules/flowspec/package.json': JSON.stringify({ name: 'flowspec', version: '9.9.9', types: 'index.d.ts' }),
      'node_modules/flowspec/index.d.ts': 'export declare const installedOnly: number;\n',
    });
    assert.deepStrictEqual(await server.diagnostics(path.join(installed, 'uses.ts'), installed), []);
  });

  it("lets the project's own Node types win (two @types/node in one program would clash)", async () => {
    const dir = project('own-node-types', {
      'uses.ts': "import { readFileSync } from 'node:fs';\nexport const text = readFileSync;\n",
      'node_modules/@types/node/package.json': JSON.stringify({ name: '@types/node', version: '0.0.1', types: 'index.d.ts' }),
      'node_modules/@types/node/index.d.ts': "declare module 'node:fs' { export const onlyThis: number; }\n",
    });
    const diags = await server.diagnostics(path.join(dir, 'uses.ts'), dir);
    assert.match(diags.join('\n'), /TS2305 1: Module '"node:fs"' has no exported member 'readFileSync'/);
  });

  it("leaves artifacts to the language server: no definition of their declarations, no rename; the rest is TypeScript's", async () => {
    const flow = KITCHEN_SINK.replace(
      'export class SinkFlow extends FlowSpec {',
      'export class SinkFlow extends FlowSpec {\n  total!: number;',
    );
    const dir = project('artifacts', {
      'flows/sink.ts': flow,
      // What `flowspec types` generates: the artifacts as members merged into the flow class.
      '.flowspec-types/flows/sink.d.ts':
        "import '../../flows/sink';\ndeclare module '../../flows/sink' {\n  interface SinkFlow {\n    sum: number;\n  }\n}\n",
    });
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, noEmit: true },
        include: ['flows/**/*.ts', '.flowspec-types/**/*.d.ts'],
      }),
    );
    const file = path.join(dir, 'flows/sink.ts');
    const lines = flow.split('\n');
    const at = (text: string, delta: number) => {
      const line = lines.findIndex((l) => l.includes(text));
      assert.ok(line >= 0, text);
      return [line + 1, lines[line].indexOf(text) + delta + 1] as const;
    };
    // This build of the plugin (the repo's node_modules may hold another checkout's shim).
    const probe = path.join(root, 'probe');
    mkdirSync(path.join(probe, 'node_modules/flowspec-ts-plugin'), { recursive: true });
    writeFileSync(
      path.join(probe, 'node_modules/flowspec-ts-plugin/index.js'),
      `module.exports = require(${JSON.stringify(path.join(REPO, 'dist/tsPlugin.js'))}).createPlugin;\n`,
    );
    const withPlugin = startTsServer({ pluginProbeLocation: probe });
    try {
      // FlowSpec's index signature (this.x, inputs[1].x) and a generated member (this.sum): no definition, no rename.
      for (const [text, delta] of [
        ['this.x = 1', 5],
        ['inputs[1].x', 10],
        ['const n: number = this.sum', 23],
      ] as const) {
        assert.deepStrictEqual(await withPlugin.definitions(file, dir, ...at(text, delta)), [], text);
        const rename = await withPlugin.renameInfo(file, dir, ...at(text, delta));
        assert.strictEqual(rename.canRename, false, text);
      }
      // A declared field of a flow (an artifact's type): TypeScript does not rename it either.
      assert.match(
        (await withPlugin.renameInfo(file, dir, ...at('total!: number', 0))).message ?? '',
        /FlowSpec renames it across the flow/,
      );
      // Everything else is TypeScript's as before: a local variable, a parameter-like field with a value.
      assert.deepStrictEqual(await withPlugin.definitions(file, dir, ...at('console.log(n', 12)), [
        `${file}:${at('const n: number', 0)[0]}`,
      ]);
      assert.strictEqual((await withPlugin.renameInfo(file, dir, ...at('console.log(n', 12))).canRename, true);
    } finally {
      withPlugin.stop();
    }
  });
});
