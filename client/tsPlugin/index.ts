// The extension's TypeScript server plugin (`contributes.typescriptServerPlugins`, as the Vue,
// Svelte and Deno extensions do). With only the extension installed, a flow file's
// `import ... from 'flowspec'` would be red in VS Code's own TypeScript: the project has no
// node_modules. The plugin fills in what the project lacks, and nothing else:
//  - `flowspec` and `flowspec/client` resolve to the declarations bundled with the extension
//    (dist/types) when the project's own resolution finds nothing, so an installed `flowspec`
//    (or a tsconfig `paths` entry) always wins;
//  - Node's types (the bundled @types/node) join the program when the project has none, so the
//    `node:fs`, `process` and `Buffer` of a flow's steps type-check too;
//  - each flow file's generated artifact types (`.flowspec-types/`, written by the language server
//    while the user types, and by `flowspec types|check|run`) join the program even where the
//    tsconfig does not include them (or there is none), but only when they were generated from
//    the text TypeScript has of the flow file and the texts its configs' default files have on
//    disk: a stale file is left out (its artifacts and configs are `any` until the next refresh),
//    so it never makes a valid flow show an error;
//  - artifacts (`this.x`, `inputs[0].x`) are left to the FlowSpec language server, which knows the
//    assignments that reach them and the strings that name them (`foreach: 'x'`): go to definition
//    leaves out TypeScript's declarations of them (FlowSpec's index signature `[artifact: string]:
//    any`, the generated `.flowspec-types/` members), which VS Code would list beside the server's
//    assignments, and rename refuses them (also a declared field `x!: T` of a flow), so VS Code asks
//    the server, which renames the strings too.
// Bundled to dist/tsPlugin.js; tsserver loads it through the package shim in
// client/tsPlugin/package (node_modules/flowspec-ts-plugin of the extension).
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type * as ts from 'typescript/lib/tsserverlibrary';
import {
  inputHashes,
  inputsFresh,
  isGeneratedTypesFile,
  sourceHashLine,
  typesFileOf,
  typesProject,
  TypesProject,
} from '../../model/artifactTypesFiles';
import { mayContainFlow } from '../../model/flowModel';

type TS = typeof ts;

/** Module name → declaration file, relative to the extension; set by scripts/build.mjs from package.json `exports`. */
declare const FLOWSPEC_TYPE_ENTRIES: Record<string, string>;

/** The extension's folder: this bundle is <extension>/dist/tsPlugin.js. */
const EXTENSION_ROOT = path.resolve(__dirname, '..');
const NODE_TYPES = path.join(EXTENSION_ROOT, 'node_modules/@types/node/index.d.ts');

/** What tsserver calls: the plugin factory (see the shim's index.js). */
export function createPlugin({ typescript }: { typescript: TS }): ts.server.PluginModule {
  return {
    create(info) {
      const log = (msg: string) => info.project.projectService.logger.info(`[flowspec-ts-plugin] ${msg}`);
      const entries = bundledTypeEntries();
      supplyFlowSpecTypes(typescript, info.languageServiceHost, entries, log);
      supplyNodeTypes(typescript, info.languageServiceHost, log);
      supplyArtifactTypes(info);
      log(`active; bundled declarations: ${Object.values(entries).join(', ')}`);
      return leaveArtifactsToServer(typescript, info.languageService);
    },
  };
}

function bundledTypeEntries(): Record<string, string> {
  return Object.fromEntries(Object.entries(FLOWSPEC_TYPE_ENTRIES).map(([name, rel]) => [name, path.join(EXTENSION_ROOT, rel)]));
}

/** Resolves `flowspec` imports the project cannot resolve to the bundled declarations. */
function supplyFlowSpecTypes(
  typescript: TS,
  host: ts.LanguageServiceHost,
  entries: Record<string, string>,
  log: (m: string) => void,
): void {
  const resolve = host.resolveModuleNameLiterals?.bind(host);
  if (!resolve) {
    log('this TypeScript has no resolveModuleNameLiterals (TypeScript < 5.0): flowspec types not supplied');
    return;
  }
  host.resolveModuleNameLiterals = (literals, containingFile, ...rest) =>
    resolve(literals, containingFile, ...rest).map((resolution, i) => {
      const bundled = entries[literals[i].text];
      if (resolution.resolvedModule || !bundled) return resolution;
      // Keep the failed lookups: tsserver watches them, so installing flowspec later re-resolves to it.
      return {
        ...resolution,
        resolvedModule: { resolvedFileName: bundled, extension: declarationExtension(typescript, bundled), isExternalLibraryImport: true },
      };
    });
}

function declarationExtension(typescript: TS, file: string): ts.Extension {
  if (file.endsWith('.d.mts')) return typescript.Extension.Dmts;
  if (file.endsWith('.d.cts')) return typescript.Extension.Dcts;
  return typescript.Extension.Dts;
}

/** Adds the bundled @types/node to the program when the project has no Node types of its own. */
function supplyNodeTypes(typescript: TS, host: ts.LanguageServiceHost, log: (m: string) => void): void {
  if (!existsSync(NODE_TYPES)) {
    log(`no bundled Node types at ${NODE_TYPES}`);
    return;
  }
  const rootFiles = host.getScriptFileNames.bind(host);
  host.getScriptFileNames = () => {
    const files = rootFiles();
    return lacksNodeTypes(typescript, host) ? [...files, NODE_TYPES] : files;
  };
}

/**
 * True when the project wants Node's types (`types` unset or naming `node`) and cannot find them.
 * Checked on every program update (a few stat calls): two different @types/node in one program
 * would clash, so once the project installs its own, ours must go.
 */
function lacksNodeTypes(typescript: TS, host: ts.LanguageServiceHost): boolean {
  const options = host.getCompilationSettings();
  if (options.types && !options.types.includes('node')) return false;
  const dir = host.getCurrentDirectory();
  // The project's folder, not tsserver's cwd, is where default type roots are looked up.
  const resolutionHost = { ...typescript.sys, getCurrentDirectory: () => dir };
  const found = typescript.resolveTypeReferenceDirective(
    'node',
    path.join(dir, '__flowspec__.ts'),
    options,
    resolutionHost,
  ).resolvedTypeReferenceDirective;
  return !found?.resolvedFileName;
}

/** How often a stale generated file is looked at until the language server has rewritten it, and for how long. */
const POLL_MS = 250;
const POLL_FOR_MS = 60_000;
/** How often the config files an included generated file was made from are looked at (their edit makes it stale). */
const INPUTS_POLL_MS = 1000;

/** How much of a generated file is read for its header (the hash lines of the flow file and of its config files). */
const HEAD_CHARS = 8000;

/**
 * Puts in the program, for each flow file in it, its generated declarations when they were
 * generated from the text the program has of it and from its config files as they are on disk
 * (and takes out every other generated file, the tsconfig's included). A missing or stale one is
 * looked at until it is fresh (the language server rewrites it a moment after an edit), which then
 * updates the project and its diagnostics; an included one made from config files is looked at
 * while it is in, so that an edit of one takes it out until it is rewritten. This does not depend
 * on the host's file watching, which an editor may route through its own watcher.
 */
function supplyArtifactTypes(info: ts.server.PluginCreateInfo): void {
  const host = info.languageServiceHost;
  const rootFiles = host.getScriptFileNames.bind(host);
  const projects = new Map<string, TypesProject>();
  /** Per flow file: its text's version, whether it holds a flow, and its text's hash line. */
  const sources = new Map<string, { version: string; flow: boolean; hashLine: string }>();
  /** Per generated file: its modification time and header. */
  const generated = new Map<string, { mtimeMs: number; head: string }>();
  /** Per stale generated file: the hash line it waits for, its project folder, and when it stops waiting. */
  const waiting = new Map<string, { hashLine: string; root: string; until: number }>();
  /** Per included generated file made from config files: the hash line it was included for and its project folder. */
  const included = new Map<string, { hashLine: string; root: string }>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const sourceFacts = (file: string) => {
    const version = host.getScriptVersion(file);
    let facts = sources.get(file);
    if (facts?.version !== version) {
      const snapshot = host.getScriptSnapshot(file);
      const text = snapshot ? snapshot.getText(0, snapshot.getLength()) : '';
      facts = { version, flow: mayContainFlow(text), hashLine: sourceHashLine(text) };
      sources.set(file, facts);
    }
    return facts;
  };
  const head = (out: string): string | undefined => {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(out).mtimeMs;
    } catch {
      return undefined;
    }
    let entry = generated.get(out);
    if (entry?.mtimeMs !== mtimeMs) {
      entry = { mtimeMs, head: readFileSync(out, 'utf8').slice(0, HEAD_CHARS) };
      generated.set(out, entry);
    }
    return entry.head;
  };
  /** Generated from the flow file's text (`hashLine`) and from the config files as they are now. */
  const fresh = (out: string, hashLine: string, root: string): boolean => {
    const text = head(out);
    return text !== undefined && text.includes(hashLine) && inputsFresh(text, root);
  };
  // markAsDirty is public in tsserver's code (Angular's plugin calls it too), internal in its typings.
  const project = info.project as ts.server.Project & { markAsDirty?(): void };
  const poll = () => {
    timer = undefined;
    let changed = false;
    for (const [out, w] of waiting) {
      const done = fresh(out, w.hashLine, w.root);
      changed ||= done;
      if (done || Date.now() > w.until) waiting.delete(out);
    }
    for (const [out, w] of included) {
      if (fresh(out, w.hashLine, w.root)) continue;
      changed = true;
      included.delete(out);
    }
    if (changed) {
      if (project.markAsDirty) project.markAsDirty();
      else project.updateGraph();
      project.refreshDiagnostics();
    }
    schedulePoll();
  };
  /** The pause of the poll that is set (a stale file waited for makes it shorter). */
  let timerMs = 0;
  const schedulePoll = () => {
    const ms = waiting.size ? POLL_MS : included.size ? INPUTS_POLL_MS : undefined;
    if (ms === undefined || (timer !== undefined && timerMs <= ms)) return;
    clearTimeout(timer);
    timer = setTimeout(poll, ms);
    timerMs = ms;
  };
  const waitFor = (out: string, hashLine: string, root: string) => {
    waiting.set(out, { hashLine, root, until: Date.now() + POLL_FOR_MS });
    schedulePoll();
  };

  host.getScriptFileNames = () => {
    const files = rootFiles().filter((f) => !isGeneratedTypesFile(f));
    const freshFiles: string[] = [];
    included.clear();
    for (const file of files) {
      if (!/\.[cm]?tsx?$/.test(file) || /\.d\.[cm]?ts$/.test(file) || /[\\/]node_modules[\\/]/.test(file)) continue;
      const facts = sourceFacts(file);
      if (!facts.flow) continue;
      const dir = path.dirname(file);
      const root = projects.get(dir) ?? typesProject(dir);
      projects.set(dir, root);
      const out = typesFileOf(root, file);
      if (!out) continue;
      if (!fresh(out, facts.hashLine, root.root)) waitFor(out, facts.hashLine, root.root);
      else {
        freshFiles.push(out);
        if (inputHashes(head(out)!).length) included.set(out, { hashLine: facts.hashLine, root: root.root });
      }
    }
    schedulePoll();
    return [...files, ...freshFiles];
  };
}

/** The classes of FlowSpec's declarations whose index signature every artifact name resolves to. */
const ARTIFACT_HOLDERS = new Set(['FlowSpec', 'InputTask', 'Inputs', 'UntypedArtifacts', 'UntypedBranches']);
/** Where `flowspec types` writes the declarations that type a project's artifacts. */
const GENERATED_TYPES = /[\\/]\.flowspec-types[\\/]/;

/** TypeScript's declaration of an artifact: FlowSpec's index signature, or a generated member. */
function isArtifactDeclaration(typescript: TS, d: ts.DefinitionInfo): boolean {
  const indexSignature =
    d.kind === typescript.ScriptElementKind.indexSignatureElement &&
    ARTIFACT_HOLDERS.has(d.containerName) &&
    /\.d\.[mc]?ts$/.test(d.fileName);
  return indexSignature || GENERATED_TYPES.test(d.fileName);
}

/** A field of a flow class declared without a value (`model!: Model`): an artifact's type, as the analyzer reads it. */
function isDeclaredArtifactField(typescript: TS, service: ts.LanguageService, d: ts.DefinitionInfo): boolean {
  const sf = service.getProgram()?.getSourceFile(d.fileName);
  if (!sf) return false;
  let node: ts.Node = sf;
  // Down to the node whose name starts at the definition.
  for (;;) {
    const child: ts.Node | undefined = node
      .getChildren(sf)
      .find((c) => c.getStart(sf) <= d.textSpan.start && d.textSpan.start < c.getEnd());
    if (!child) break;
    node = child;
    if (typescript.isPropertyDeclaration(node)) break;
  }
  if (!typescript.isPropertyDeclaration(node) || node.initializer || !typescript.isClassLike(node.parent)) return false;
  return node.parent.members.some(
    (m) =>
      typescript.isMethodDeclaration(m) && (typescript.getDecorators(m) ?? []).some((dec) => /^step\b/.test(dec.expression.getText(sf))),
  );
}

/** The language service with artifacts left to the FlowSpec language server (see the top of this file). */
function leaveArtifactsToServer(typescript: TS, service: ts.LanguageService): ts.LanguageService {
  const keep = (defs: readonly ts.DefinitionInfo[] | undefined) => defs?.filter((d) => !isArtifactDeclaration(typescript, d));
  return {
    ...service,
    getDefinitionAtPosition(fileName, position) {
      return keep(service.getDefinitionAtPosition(fileName, position));
    },
    getDefinitionAndBoundSpan(fileName, position) {
      const found = service.getDefinitionAndBoundSpan(fileName, position);
      return found && { ...found, definitions: keep(found.definitions) };
    },
    getRenameInfo(fileName, position, ...rest) {
      const defs = service.getDefinitionAtPosition(fileName, position);
      const artifact =
        !!defs?.length && defs.every((d) => isArtifactDeclaration(typescript, d) || isDeclaredArtifactField(typescript, service, d));
      return artifact
        ? { canRename: false, localizedErrorMessage: 'An artifact: FlowSpec renames it across the flow, strings included.' }
        : service.getRenameInfo(fileName, position, ...rest);
    },
  };
}
