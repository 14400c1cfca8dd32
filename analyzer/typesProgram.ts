// Generates the artifact type declarations of flow files (artifactTypes.ts) against the user's
// project as TypeScript sees it: their tsconfig, node_modules, other modules. The one part of the
// analyzer that reads the disk (the project) and writes it (`.flowspec-types/` beside the tsconfig,
// which the tsconfig includes). Declarations are computed until they stop changing (an artifact
// assigned from another one needs the other's type first), then checked: a member TypeScript
// rejects in the generated file is left out, so a generated file never adds an error of its own.
// Each computation starts from the last one of the same file: only the values of the members an
// edit, or a changed generated type, can affect are asked of TypeScript again (typesDependencies.ts).
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { getLibFiles, libFolderInMemoryPath } from '@ts-morph/common';
import { TYPES_DIR, TypesProject, typesFileOf, typesProject } from '../model/artifactTypesFiles';
import { artifactTypesText, ComputedTypes, EarlierTypes, FlowTypesText, parsedFlows } from './artifactTypes';
import { affectedUnits, changedDeclarations, FileUnits, memberName, unitsOf } from './typesDependencies';
import { nameText } from './syntax';
import { mayContainFlow } from './parse';

export { TYPES_DIR, typesProject } from '../model/artifactTypesFiles';
export type { TypesProject } from '../model/artifactTypesFiles';

export interface GeneratedTypes {
  /** The flow file. */
  file: string;
  /** Where its declarations go. */
  out: string;
  /** The declarations; undefined when the file has no exported flow (any old file is removed). */
  text: string | undefined;
  flows: FlowTypesText['flows'];
  /** The artifacts (`Flow.name`) whose types TypeScript was asked for again; the others kept the last computation's. */
  rechecked: string[];
}

/** The flow files of a project: its tsconfig's files that hold a flow (every .ts file of the folder without a tsconfig). */
export function projectFlowFiles(project: TypesProject): string[] {
  const files = project.tsconfig ? parseConfig(project.tsconfig).fileNames : listTs(project.root);
  return files.filter(
    (f) => !f.endsWith('.d.ts') && !path.relative(project.root, f).startsWith(TYPES_DIR) && mayContainFlow(readText(f) ?? ''),
  );
}

const MAX_ROUNDS = 6;

/** Each project's last program (by its folder): the next refresh reuses what did not change. */
const lastPrograms = new Map<string, ts.Program>();

/** The last computation of a flow file's types (by its generated file): the next one starts from it. */
interface LastTypes {
  units: FileUnits;
  /** The generated text they were computed against. */
  generated: string;
  computed: ComputedTypes;
  /** The program's other files and its options then: when any differs, every type is computed again. */
  others: readonly ts.SourceFile[];
  options: ts.CompilerOptions;
}
const lastTypes = new Map<string, LastTypes>();

/** The last text of each generated file (by path) that TypeScript found no member in error in, and what it was checked with. */
const lastChecked = new Map<string, Omit<LastTypes, 'computed'>>();

/**
 * The declarations of `files` (all of one project). `texts` gives unsaved contents by path (the
 * editor's buffers); everything else is read from disk. Starts from the files written last time, so
 * an edit that changes no type costs one program and one that does two; the program is kept for
 * the next call (the language server's thread, a CLI process) and reuses every file not edited.
 */
export function generateTypes(project: TypesProject, files: string[], texts: Map<string, string> = new Map()): GeneratedTypes[] {
  const targets = files
    .map((f) => ({ file: path.resolve(f), out: typesFileOf(project, f) }))
    .filter((t): t is { file: string; out: string } => t.out !== undefined);
  if (targets.length === 0) return [];
  const generated = new Map(targets.map((t) => [t.out, readText(t.out) ?? EMPTY]));
  const dropped = new Map(targets.map((t) => [t.out, new Set<string>()]));
  const rechecked = new Map(targets.map((t) => [t.out, new Set<string>()]));
  const options = compilerOptions(project);
  let program = lastPrograms.get(project.root);
  let results: GeneratedTypes[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    program = ts.createProgram({
      rootNames: [...targets.map((t) => t.file), ...generated.keys()],
      options,
      host: compilerHost(options, texts, generated),
      oldProgram: program,
    });
    const checker = program.getTypeChecker();
    let changed = false;
    results = targets.map((t) => {
      const sf = program!.getSourceFile(t.file);
      const out = program!.getSourceFile(t.out);
      const r =
        sf && out ? typesOf(program!, checker, sf, out, dropped.get(t.out)!, rechecked.get(t.out)!) : { text: undefined, flows: [] };
      const text = r.text ?? EMPTY;
      if (declarations(generated.get(t.out)!) !== declarations(text)) changed = true;
      generated.set(t.out, text);
      return { file: t.file, out: t.out, text: r.text, flows: r.flows, rechecked: [...rechecked.get(t.out)!].sort() };
    });
    if (changed) continue;
    // The program holds what it computes: members TypeScript rejects there are dropped.
    for (const t of targets) {
      const sf = program.getSourceFile(t.out);
      const last = lastTypes.get(t.out);
      if (!sf || !last) continue;
      if (checkedBefore(checker, sf, last)) {
        lastChecked.set(t.out, last);
        continue;
      }
      const drop = dropped.get(t.out)!;
      let rejected = false;
      for (const m of rejectedMembers(program, sf)) {
        if (drop.has(m)) continue;
        drop.add(m);
        rejected = changed = true;
      }
      if (!rejected) lastChecked.set(t.out, last);
    }
    if (!changed) break;
  }
  if (program) lastPrograms.set(project.root, program);
  return results;
}

/**
 * The declarations of one flow file, starting from the last computation of its types; sets that
 * computation to this one and adds the artifacts computed again to `rechecked`.
 */
function typesOf(
  program: ts.Program,
  checker: ts.TypeChecker,
  sf: ts.SourceFile,
  out: ts.SourceFile,
  dropped: ReadonlySet<string>,
  rechecked: Set<string>,
): FlowTypesText {
  const classes = new Set(parsedFlows(sf).flows.map((f) => f.name));
  const last = lastTypes.get(out.fileName);
  const now = { units: unitsOf(sf, classes, last?.units), others: otherFiles(program, sf, out), options: program.getCompilerOptions() };
  let earlier: EarlierTypes | undefined;
  if (last && sameFiles(last.others, now.others) && sameOptions(last.options, now.options)) {
    const changedTypes = changedDeclarations(last.generated, out.text);
    const lists = parsedFlows(sf).flows.flatMap((f) =>
      f.steps.map((s) => s.transition?.foreach).filter((l): l is string => l !== undefined),
    );
    const affected = changedTypes === 'all' ? 'all' : affectedUnits(now.units, last.units, changedTypes, classes, lists);
    if (affected !== 'all') earlier = { computed: last.computed, affected: (key) => affected.units.has(key) };
  }
  const r = artifactTypesText(checker, sf, out, dropped, earlier);
  for (const [flow, artifacts] of r.computed)
    for (const [name, a] of artifacts) if (earlier?.computed.get(flow)?.get(name) !== a) rechecked.add(`${flow}.${name}`);
  lastTypes.set(out.fileName, { ...now, generated: out.text, computed: r.computed });
  return r;
}

/**
 * Whether a generated file needs no check for members in error (an edit that changes one type or
 * two): an earlier text of it had none, and nothing since can have given it one. Its lines are
 * those of that text but for members whose type changed, and none names a name the edits since
 * declare; each member whose type changed has a type that names nothing (`number`,
 * `{ a: string[] }`), no other line names it, and no other declaration, nor a base class, declares
 * it; the flow's index signatures (FlowSpec's) take any value.
 */
function checkedBefore(checker: ts.TypeChecker, out: ts.SourceFile, now: LastTypes): boolean {
  const before = lastChecked.get(out.fileName);
  if (!before || !sameFiles(before.others, now.others) || !sameOptions(before.options, now.options)) return false;
  const changed = changedDeclarations(before.generated, out.text);
  if (changed === 'all' || changed.has('input')) return false;
  const edited = affectedUnits(now.units, before.units, [], new Set(), []);
  if (edited === 'all') return false;
  // FLOW_TYPES's line names the flow class (named by its interface's line too), Pick and Iterable.
  const lines = out.text.split('\n').filter((l) => !l.startsWith('//') && !l.includes('[FLOW_TYPES]'));
  const named = wordsIn(lines);
  if ([...edited.names].some((n) => named.has(n) || ['Pick', 'Iterable', 'FLOW_TYPES'].includes(n))) return false;
  for (const n of changed) if (wordsIn(lines.filter((l) => memberName(l) !== n)).has(n)) return false;
  for (const iface of flowInterfaces(out)) {
    const symbol = checker.getSymbolAtLocation(iface.name);
    if (!symbol) return false;
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    const indexes = checker.getIndexInfosOfType(type);
    if (!checker.getIndexInfoOfType(type, ts.IndexKind.String) || indexes.some((i) => !(i.type.flags & ts.TypeFlags.Any))) return false;
    const bases = type.isClassOrInterface() ? checker.getBaseTypes(type) : [];
    for (const member of iface.members) {
      const name = member.name && nameText(member.name);
      if (name === undefined || !changed.has(name)) continue;
      if (!ts.isPropertySignature(member) || !member.type || !namesNothing(member.type)) return false;
      const declarations = checker.getPropertyOfType(type, name)?.declarations ?? [];
      if (declarations.length !== 1 || declarations[0] !== member) return false;
      if (bases.some((b) => checker.getPropertyOfType(b, name))) return false;
    }
  }
  return true;
}

function wordsIn(lines: string[]): Set<string> {
  return new Set(lines.join('\n').match(/[A-Za-z_$][\w$]*/g) ?? []);
}

/** The interfaces the generated file merges into flow classes (in its `declare module` block). */
function flowInterfaces(out: ts.SourceFile): ts.InterfaceDeclaration[] {
  return out.statements.flatMap((st) =>
    ts.isModuleDeclaration(st) && ts.isStringLiteral(st.name) && st.body && ts.isModuleBlock(st.body)
      ? st.body.statements.filter(ts.isInterfaceDeclaration)
      : [],
  );
}

/** The type nodes a type that names nothing is made of: keywords, literals, arrays, tuples, unions, object and function types. */
const NAMELESS = new Set([
  ts.SyntaxKind.StringKeyword,
  ts.SyntaxKind.NumberKeyword,
  ts.SyntaxKind.BooleanKeyword,
  ts.SyntaxKind.BigIntKeyword,
  ts.SyntaxKind.SymbolKeyword,
  ts.SyntaxKind.UndefinedKeyword,
  ts.SyntaxKind.VoidKeyword,
  ts.SyntaxKind.ObjectKeyword,
  ts.SyntaxKind.NullKeyword,
  ts.SyntaxKind.TrueKeyword,
  ts.SyntaxKind.FalseKeyword,
  ts.SyntaxKind.LiteralType,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.PrefixUnaryExpression,
  ts.SyntaxKind.ArrayType,
  ts.SyntaxKind.TupleType,
  ts.SyntaxKind.NamedTupleMember,
  ts.SyntaxKind.OptionalType,
  ts.SyntaxKind.RestType,
  ts.SyntaxKind.UnionType,
  ts.SyntaxKind.IntersectionType,
  ts.SyntaxKind.ParenthesizedType,
  ts.SyntaxKind.TypeLiteral,
  ts.SyntaxKind.PropertySignature,
  ts.SyntaxKind.MethodSignature,
  ts.SyntaxKind.CallSignature,
  ts.SyntaxKind.ConstructSignature,
  ts.SyntaxKind.IndexSignature,
  ts.SyntaxKind.FunctionType,
  ts.SyntaxKind.ConstructorType,
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.QuestionToken,
  ts.SyntaxKind.DotDotDotToken,
  ts.SyntaxKind.ReadonlyKeyword,
]);

function namesNothing(node: ts.Node): boolean {
  if (!NAMELESS.has(node.kind) && !(ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword)) return false;
  return !ts.forEachChild(node, (c) => (namesNothing(c) ? undefined : true));
}

/** The program's files but a flow file and its declarations, in order. */
function otherFiles(program: ts.Program, sf: ts.SourceFile, out: ts.SourceFile): ts.SourceFile[] {
  return program.getSourceFiles().filter((f) => f !== sf && f !== out);
}

function sameFiles(a: readonly ts.SourceFile[], b: readonly ts.SourceFile[]): boolean {
  return a.length === b.length && a.every((f, i) => f === b[i]);
}

function sameOptions(a: ts.CompilerOptions, b: ts.CompilerOptions): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** A generated file with no flow to type (a module, so the next round's augmentations stay valid). */
const EMPTY = 'export {};\n';

/** A generated text without its comment header (which names the flow text it came from). */
function declarations(text: string): string {
  return text.replace(/^(\/\/.*\n)+/, '');
}

export interface RefreshOptions {
  /** Unsaved texts by absolute path (the editor's buffers). */
  texts?: Map<string, string>;
  /** Only projects whose tsconfig includes TYPES_DIR (check, run and the editor refresh only those). */
  onlyIncluded?: boolean;
  /** Also remove generated files whose flow file is gone (a whole project's refresh). */
  orphans?: boolean;
  /**
   * Write a flow file's declarations only if the file on disk still holds the text `texts` gives
   * for it once they are ready (a refresh in the background: an edit since has a refresh of its
   * own, which must not be overwritten with the older text's types); the others are in `edited`.
   */
  unlessEdited?: boolean;
}

export interface Refreshed {
  project: TypesProject;
  results: GeneratedTypes[];
  /** Generated files written or removed. */
  touched: string[];
  /** Flow files edited on disk while their declarations were computed (`unlessEdited`): nothing written for them. */
  edited: string[];
}

/** Generates and writes the declarations of flow files, project by project. */
export function refreshTypes(files: string[], options: RefreshOptions = {}): Refreshed[] {
  const byRoot = new Map<string, { project: TypesProject; files: string[] }>();
  for (const f of files) {
    const project = typesProject(f);
    if (options.onlyIncluded && !project.includesTypes) continue;
    const entry = byRoot.get(project.root) ?? { project, files: [] };
    entry.files.push(f);
    byRoot.set(project.root, entry);
  }
  return [...byRoot.values()].map(({ project, files }) => {
    const all = generateTypes(project, files, options.texts);
    const given = options.texts ?? new Map<string, string>();
    const isEdited = (r: GeneratedTypes) => options.unlessEdited === true && given.has(r.file) && readText(r.file) !== given.get(r.file);
    const results = all.filter((r) => !isEdited(r));
    const touched = [...writeTypes(results), ...(options.orphans ? removeOrphans(project) : [])];
    return { project, results, touched, edited: all.filter(isEdited).map((r) => r.file) };
  });
}

/** Writes (or removes) each generated file when its text changed; returns the files it touched. */
export function writeTypes(results: GeneratedTypes[]): string[] {
  const touched: string[] = [];
  for (const r of results) {
    const old = readText(r.out);
    if (r.text === undefined) {
      if (old !== undefined) {
        rmSync(r.out, { force: true });
        touched.push(r.out);
      }
      continue;
    }
    if (old === r.text) continue;
    createTypesDir(r.out);
    const tmp = `${r.out}.${process.pid}.tmp`;
    writeFileSync(tmp, r.text);
    renameSync(tmp, r.out);
    touched.push(r.out);
  }
  return touched;
}

/**
 * Creates the folders of a generated file. The generated folder ignores itself in git (the editor
 * also writes it in projects that never asked for it): it is never committed.
 */
function createTypesDir(out: string): void {
  const parts = out.split(path.sep);
  const typesDir = parts.slice(0, parts.lastIndexOf(TYPES_DIR) + 1).join(path.sep);
  if (!existsSync(typesDir)) {
    mkdirSync(typesDir, { recursive: true });
    writeFileSync(path.join(typesDir, '.gitignore'), '*\n');
  }
  mkdirSync(path.dirname(out), { recursive: true });
}

/** Removes generated files whose flow file is gone (a stale augmentation of a missing module is an error). */
export function removeOrphans(project: TypesProject): string[] {
  const dir = path.join(project.root, TYPES_DIR);
  const removed: string[] = [];
  for (const out of listFiles(dir)) {
    if (!/\.d\.[cm]?ts$/.test(out)) continue;
    const rel = path.relative(dir, out);
    const base = rel.replace(/\.d(\.[cm]?ts)$/, '$1');
    const sources = [base, base.replace(/\.ts$/, '.tsx')].map((s) => path.join(project.root, s));
    if (!sources.some((s) => existsSync(s))) {
      rmSync(out, { force: true });
      removed.push(out);
    }
  }
  return removed;
}

/** Member keys (`Flow.name`) of the generated file that carry an error. */
function rejectedMembers(program: ts.Program, sf: ts.SourceFile): string[] {
  const diagnostics = [...program.getSemanticDiagnostics(sf), ...program.getSyntacticDiagnostics(sf)];
  const out: string[] = [];
  for (const d of diagnostics) {
    if (d.start === undefined) continue;
    let n: ts.Node | undefined = findNode(sf, d.start);
    while (n && !(ts.isPropertySignature(n) && ts.isInterfaceDeclaration(n.parent))) n = n.parent;
    if (!n || !ts.isPropertySignature(n)) continue;
    const iface = n.parent as ts.InterfaceDeclaration;
    const name = ts.isComputedPropertyName(n.name) ? '[FLOW_TYPES]' : n.name.getText(sf).replace(/^"|"$/g, '');
    out.push(`${iface.name.text}.${name}`);
  }
  return out;
}

function findNode(sf: ts.SourceFile, pos: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (pos < n.getStart(sf) || pos >= n.getEnd()) return;
    found = n;
    n.forEachChild(visit);
  };
  sf.forEachChild(visit);
  return found;
}

function compilerOptions(project: TypesProject): ts.CompilerOptions {
  const base: ts.CompilerOptions = project.tsconfig
    ? parseConfig(project.tsconfig).options
    : {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.Preserve,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        strict: true,
      };
  // skipLibCheck off: the generated files' own errors must be seen (only theirs are asked for).
  return {
    ...base,
    noEmit: true,
    skipLibCheck: false,
    skipDefaultLibCheck: true,
    incremental: false,
    composite: false,
    declaration: false,
  };
}

function parseConfig(tsconfig: string): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  return parsed ?? { options: {}, fileNames: [], errors: [] };
}

/**
 * Reads the disk, except for the editor's unsaved texts and the generated files (in memory while
 * they are computed); `flowspec` resolves to this package's own declarations when the project has
 * none installed (as the extension's TypeScript plugin does in the editor).
 */
function compilerHost(options: ts.CompilerOptions, texts: Map<string, string>, generated: Map<string, string>): ts.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  // TypeScript's lib files come with the analyzer's TypeScript (in memory, as ts-morph ships them).
  const libs = libFiles();
  host.getDefaultLibLocation = () => libFolderInMemoryPath;
  host.getDefaultLibFileName = (o) => path.posix.join(libFolderInMemoryPath, ts.getDefaultLibFileName(o));
  const memory = (f: string) => texts.get(path.resolve(f)) ?? generated.get(path.resolve(f)) ?? libs.get(f);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => memory(f) ?? readFile(f);
  host.fileExists = (f) => memory(f) !== undefined || fileExists(f);
  host.getSourceFile = (f, languageVersion, onError) => {
    const text = memory(f) ?? readFile(f);
    if (text === undefined) return getSourceFile(f, languageVersion, onError);
    return parsed(f, text, languageVersion);
  };
  const ownTypes = ownDeclarations();
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, opts) =>
    literals.map((lit) => {
      const r = ts.resolveModuleName(lit.text, containingFile, opts, host, undefined, redirected);
      if (r.resolvedModule || lit.text !== 'flowspec' || !ownTypes) return r;
      return {
        resolvedModule: {
          resolvedFileName: ownTypes,
          extension: ownTypes.endsWith('.d.ts') ? ts.Extension.Dts : ts.Extension.Ts,
          isExternalLibraryImport: true,
        },
      };
    });
  return host;
}

/**
 * Every file parsed for a program, by path and parse options: a file whose text is unchanged is not
 * parsed again, and an edited one is parsed incrementally (TypeScript reuses the nodes outside the
 * edit, as its language service does; the earlier tree is not used again but as an old program's).
 */
const parsedFiles = new Map<string, ts.SourceFile>();

function parsed(file: string, text: string, languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions): ts.SourceFile {
  const o = typeof languageVersion === 'object' ? languageVersion : { languageVersion };
  const key = `${file}\0${o.languageVersion}\0${o.impliedNodeFormat ?? ''}\0${o.jsDocParsingMode ?? ''}`;
  const cached = parsedFiles.get(key);
  if (cached?.text === text) return cached;
  const sf = cached
    ? ts.updateSourceFile(cached, text, changeRange(cached.text, text))
    : ts.createSourceFile(file, text, languageVersion, true);
  parsedFiles.set(key, sf);
  return sf;
}

/** The span of `before` that `after` replaces: all but their common start and end. */
function changeRange(before: string, after: string): ts.TextChangeRange {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  return ts.createTextChangeRange(ts.createTextSpan(start, before.length - start - end), after.length - start - end);
}

let libs: Map<string, string> | undefined;
function libFiles(): Map<string, string> {
  libs ??= new Map(getLibFiles().map((f) => [path.posix.join(libFolderInMemoryPath, f.fileName), f.text]));
  return libs;
}

/** This package's declarations of `flowspec`: dist/types beside the analysis bundle, or the source when run from it. */
function ownDeclarations(): string | undefined {
  return [path.join(__dirname, 'types/runtime/index.d.ts'), path.join(__dirname, '../runtime/index.ts')].find((f) => existsSync(f));
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/** The .ts files under a folder without a tsconfig (node_modules and dot-folders left out). */
function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listTs(p));
    else if (/\.(c|m)?ts$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}
