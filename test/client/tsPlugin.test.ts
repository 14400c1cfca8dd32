// The extension's TypeScript server plugin (client/tsPlugin), through a real tsserver started the
// way VS Code starts it for `contributes.typescriptServerPlugins`: projects in a temp folder
// outside the repo, with no node_modules, made by `flowspec init`.
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startTsServer } from '../support/tsserver.mjs';
import { waitFor } from '../support/wait';

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
    // This build of the plugin (the repo's node_modules may hold another checkout's shim).
    const probe = path.join(root, 'probe');
    mkdirSync(path.join(probe, 'node_modules/flowspec-ts-plugin'), { recursive: true });
    writeFileSync(
      path.join(probe, 'node_modules/flowspec-ts-plugin/index.js'),
      `module.exports = require(${JSON.stringify(path.join(REPO, 'dist/tsPlugin.js'))}).createPlugin;\n`,
    );
    server = startTsServer({ pluginProbeLocation: probe });
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

  /** `flowspec types DIR`: what it prints. */
  function flowspecTypes(dir: string): string {
    const r = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'types', dir], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
    return r.stdout + r.stderr;
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
    });
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, noEmit: true },
        include: ['flows/**/*.ts', '.flowspec-types/**/*.d.ts'],
      }),
    );
    // The artifacts as members merged into the flow class (this.doubled: number).
    assert.match(flowspecTypes(dir), /2 flow files, \d+ typed artifacts/);
    assert.match(readFileSync(path.join(dir, '.flowspec-types/flows/sink.d.ts'), 'utf8'), /\n {4}doubled: number;\n/);
    const file = path.join(dir, 'flows/sink.ts');
    const lines = flow.split('\n');
    const at = (text: string, delta: number) => {
      const line = lines.findIndex((l) => l.includes(text));
      assert.ok(line >= 0, text);
      return [line + 1, lines[line].indexOf(text) + delta + 1] as const;
    };
    // FlowSpec's index signature (this.x, inputs[1].x, this.sum) and a generated member (this.doubled): no definition, no rename.
    for (const [text, delta] of [
      ['this.x = 1', 5],
      ['inputs[1].x', 10],
      ['const n: number = this.sum', 23],
      ['this.doubled = this.input', 5],
    ] as const) {
      assert.deepStrictEqual(await server.definitions(file, dir, ...at(text, delta)), [], text);
      const rename = await server.renameInfo(file, dir, ...at(text, delta));
      assert.strictEqual(rename.canRename, false, text);
    }
    // A declared field of a flow (an artifact's type): TypeScript does not rename it either.
    assert.match((await server.renameInfo(file, dir, ...at('total!: number', 0))).message ?? '', /FlowSpec renames it across the flow/);
    // Everything else is TypeScript's as before: a local variable, a parameter-like field with a value.
    assert.deepStrictEqual(await server.definitions(file, dir, ...at('console.log(n', 12)), [`${file}:${at('const n: number', 0)[0]}`]);
    assert.strictEqual((await server.renameInfo(file, dir, ...at('console.log(n', 12))).canRename, true);
  });

  describe('the generated artifact types, where the tsconfig does not include them or there is none', () => {
    const TOTAL = `import { FlowSpec, step } from 'flowspec';

export class TotalFlow extends FlowSpec {
  @step start() {
    this.total = 'ten';
    this.next(this.end);
  }
  @step end() {
    console.log(this.total.toFixed(2));
  }
}
`;
    const WRONG = /^TS2551 9: Property 'toFixed' does not exist on type 'string'\. Did you mean 'fixed'\?$/;

    it('a folder with no tsconfig: a string artifact used as a number is a TypeScript error', async () => {
      const dir = path.join(root, 'no-tsconfig');
      mkdirSync(path.join(dir, 'flows'), { recursive: true });
      const file = path.join(dir, 'flows/total.ts');
      writeFileSync(file, TOTAL);
      assert.deepStrictEqual(await server.diagnostics(file, dir), [], 'untyped before any types are generated');
      flowspecTypes(dir);
      assert.ok(existsSync(path.join(dir, 'flows/.flowspec-types/total.d.ts')));
      const diags = await server.diagnostics(file, dir);
      assert.strictEqual(diags.length, 1, diags.join('\n'));
      assert.match(diags[0], WRONG);
    });

    it('a tsconfig without the include line: the same error, and the folder ignores itself in git', async () => {
      const dir = project('no-include', { 'flows/total.ts': TOTAL });
      writeFileSync(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, noEmit: true } }),
      );
      assert.match(flowspecTypes(dir), /does not include \.flowspec-types/);
      const diags = await server.diagnostics(path.join(dir, 'flows/total.ts'), dir);
      assert.strictEqual(diags.length, 1, diags.join('\n'));
      assert.match(diags[0], WRONG);
      assert.strictEqual(readFileSync(path.join(dir, '.flowspec-types/.gitignore'), 'utf8'), '*\n');
      assert.deepStrictEqual(await server.diagnostics(path.join(dir, 'flows/hello.ts'), dir), []);
    });

    it('leaves out a stale file: an edit the types have not caught up with shows no false error', async () => {
      for (const [dir, tsconfig] of [
        [project('stale-included', { 'flows/total.ts': TOTAL }), true],
        [path.join(root, 'no-tsconfig'), false],
      ] as const) {
        const file = path.join(dir, 'flows/total.ts');
        if (tsconfig) flowspecTypes(dir);
        // The flow now assigns a number; its declarations still say string until the next refresh.
        writeFileSync(file, TOTAL.replace("this.total = 'ten';", 'this.total = 10;'));
        assert.deepStrictEqual(await server.diagnostics(file, dir), [], dir);
        // Refreshed, they type it again: number, and the read is right.
        flowspecTypes(dir);
        writeFileSync(file, TOTAL.replace("this.total = 'ten';", 'this.total = 10;').replace('toFixed(2)', 'toUpperCase()'));
        flowspecTypes(dir);
        assert.match(
          (await server.diagnostics(file, dir)).join('\n'),
          /TS2339 9: Property 'toUpperCase' does not exist on type 'number'/,
          dir,
        );
      }
    });

    it('types a config from its default file, and leaves the types out once that file is edited, until they are rewritten', async () => {
      const CFG = `import { Config, FlowSpec, step } from 'flowspec';

export class CfgFlow extends FlowSpec {
  cfg = Config('cfg', { default: 'cfg.json' });
  @step start() {
    console.log(this.cfg.cpu.toFixed(1));
    this.next(this.end);
  }
  @step end() {}
}
`;
      const dir = project('config-types', { 'flows/cfg.ts': CFG, 'flows/cfg.json': '{ "cpu": "four" }\n' });
      const file = path.join(dir, 'flows/cfg.ts');
      flowspecTypes(dir);
      const typed = await server.diagnostics(file, dir);
      assert.strictEqual(typed.length, 1, typed.join('\n'));
      assert.match(typed[0], /^TS2551 6: Property 'toFixed' does not exist on type 'string'/);
      // The file now says a number; the declarations still say string until the next refresh: left out.
      writeFileSync(path.join(dir, 'flows/cfg.json'), '{ "cpu": 4 }\n');
      await waitFor('the stale declarations left out', async () => (await server.diagnostics(file, dir)).length === 0, 30_000, 250);
      writeFileSync(file, CFG.replace('toFixed(1)', 'toUpperCase()'));
      flowspecTypes(dir);
      // Fresh again (the plugin takes them in when it next looks): typed from the file as it is now.
      await waitFor(
        'the rewritten declarations taken in',
        async () =>
          (await server.diagnostics(file, dir)).join('\n').match(/TS2339 6: Property 'toUpperCase' does not exist on type 'number'/),
        30_000,
        250,
      );
    });
  });
});
