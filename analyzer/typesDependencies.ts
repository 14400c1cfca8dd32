// Which members of a flow file may assign artifacts another type than a previous computation of the
// file's types found (typesProgram.ts keeps it): the members whose text changed, those that mention
// an artifact whose generated type changed, and, closed over the file, every declaration that
// mentions a name one of those declares. A refresh asks TypeScript again only for the values
// assigned in those members; the others keep their types. Conservative by construction: a member
// that uses `this` other than to read a named member, or mentions a flow class by name, always counts.
// A member affected only by what it mentions passes it on (its name) only when its own type comes
// from its body: a step that returns nothing has the same type whatever it assigns.
import { ts } from 'ts-morph';
import { childrenOf, nameText, walk } from './syntax';

/** A top-level statement, a flow class's header (all but its members) or one of its members. */
interface Unit {
  /** A unit whose text differs from the earlier one's (or that is new, or gone) changed. */
  text: string;
  /** The names it declares. */
  declares: string[];
  /** Every identifier and string in it. */
  words: Set<string>;
  /** It uses `this` as a whole (`f(this)`, `{ ...this }`, `Inputs<this>`): it may depend on any artifact. */
  opaque: boolean;
  /** Its own type may change with the types of what it mentions (no annotation, and it returns or is initialised with a value). */
  typedByBody: boolean;
  /** A method's text without its body (its type, when it returns nothing); any other unit's whole text. */
  signature: string;
  /** The flow class a member belongs to: when the class's header is affected, so is the member. */
  owner?: string;
}

/** A flow file cut into units, by key (a member's key is `Class.name`, see memberKeys). */
export interface FileUnits {
  units: Map<string, Unit>;
  /** An import or export declaration: when one changes, every type may be named otherwise. */
  moduleShape: string;
}

/** Keys of a class's members that stay the same across edits: the name (`#2` for its second declaration). */
export function memberKeys(node: ts.ClassLikeDeclaration): Map<ts.ClassElement, string> {
  const className = node.name?.text ?? '';
  const seen = new Map<string, number>();
  const keys = new Map<ts.ClassElement, string>();
  for (const m of node.members) {
    const base = `${className}.${nameText(m.name) ?? ts.SyntaxKind[m.kind]}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    keys.set(m, n === 1 ? base : `${base}#${n}`);
  }
  return keys;
}

/** The units of a file; `flowClasses` are cut into members. Units whose text is unchanged since `earlier` are taken from it. */
export function unitsOf(sf: ts.SourceFile, flowClasses: ReadonlySet<string>, earlier?: FileUnits): FileUnits {
  const units = new Map<string, Unit>();
  const moduleShape: string[] = [];
  const add = (key: string, node: ts.Node, text: string, declares: () => string[], owner?: string, skip?: ts.Node) => {
    const body = ts.isMethodDeclaration(node) || ts.isAccessor(node) ? node.body : undefined;
    const signature = body ? sf.text.slice(node.getStart(sf), body.getStart(sf)) : text;
    const before = earlier?.units.get(key);
    const existing = units.get(key);
    if (existing) {
      // Overloads and merged declarations share a key: one unit.
      const w = wordsOf(node, skip);
      units.set(key, {
        text: existing.text + '\n' + text,
        declares: [...new Set([...existing.declares, ...declares()])],
        words: new Set([...existing.words, ...w.words]),
        opaque: existing.opaque || w.opaque,
        typedByBody: existing.typedByBody || typedByBody(node, w.returns),
        signature: existing.signature + '\n' + signature,
        owner,
      });
      return;
    }
    if (before && before.text === text) {
      units.set(key, before);
      return;
    }
    const w = wordsOf(node, skip);
    units.set(key, {
      text,
      declares: declares(),
      words: w.words,
      opaque: w.opaque,
      typedByBody: typedByBody(node, w.returns),
      signature,
      owner,
    });
  };
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st) || ts.isExportDeclaration(st) || ts.isExportAssignment(st)) {
      moduleShape.push(st.getText(sf));
      continue;
    }
    if (ts.isClassDeclaration(st) && st.name && flowClasses.has(st.name.text)) {
      const name = st.name.text;
      const keys = memberKeys(st);
      const first = st.members[0];
      const header = sf.text.slice(st.getStart(sf), first ? first.getFullStart() : st.getEnd());
      add(name, st, header, () => [name], undefined, st);
      for (const m of st.members) add(keys.get(m)!, m, m.getText(sf), () => [nameText(m.name) ?? ''].filter(Boolean), name);
      continue;
    }
    const declares = declaredNames(st);
    add(declares.length ? declares.join(',') : `#${st.getText(sf)}`, st, st.getText(sf), () => declares);
  }
  return { units, moduleShape: moduleShape.join('\n') };
}

/** What an edit can change: the units whose values may have other types, and the names whose types may differ. */
export interface Affected {
  units: Set<string>;
  names: Set<string>;
}

/**
 * The keys of the units of `now` whose values may have other types than in `before`, given the
 * names whose generated types changed meanwhile, and the names declared that may have other types;
 * 'all' when the file's imports or exports changed. `flowClasses`: mentioning one by name may
 * depend on any artifact. `foreachLists`: the lists foreach steps split on (`this.input` has the
 * type of their items).
 */
export function affectedUnits(
  now: FileUnits,
  before: FileUnits,
  changedTypes: Iterable<string>,
  flowClasses: ReadonlySet<string>,
  foreachLists: readonly string[],
): Affected | 'all' {
  if (now.moduleShape !== before.moduleShape) return 'all';
  const names = new Set<string>([...changedTypes, ...flowClasses]);
  const affected = new Set<string>();
  /** `earlier`: the unit's earlier text, when it changed (a method that returns nothing keeps its type while its signature stays). */
  const affect = (key: string, unit: Unit, changed: boolean, earlier?: Unit) => {
    affected.add(key);
    const typeChanged = changed && (!earlier || earlier.typedByBody || earlier.signature !== unit.signature);
    if (typeChanged || unit.typedByBody) for (const d of unit.declares) names.add(d);
  };
  for (const [key, unit] of now.units) {
    const earlier = before.units.get(key);
    if (earlier?.text !== unit.text) affect(key, unit, true, earlier);
  }
  for (const [key, unit] of before.units) if (!now.units.has(key)) for (const d of unit.declares) names.add(d);
  for (let grew = true; grew;) {
    grew = false;
    if (foreachLists.some((l) => names.has(l)) && !names.has('input')) {
      names.add('input');
      grew = true;
    }
    for (const [key, unit] of now.units) {
      if (affected.has(key)) continue;
      const hit = unit.opaque || (unit.owner !== undefined && affected.has(unit.owner)) || [...unit.words].some((w) => names.has(w));
      if (!hit) continue;
      affect(key, unit, false);
      grew = true;
    }
  }
  return { units: affected, names };
}

/**
 * Its identifiers and strings, whether it uses `this` as a whole, and whether it returns or yields
 * a value (`skip`'s own name and members left out: a class header).
 */
function wordsOf(root: ts.Node, skip?: ts.Node): { words: Set<string>; opaque: boolean; returns: boolean } {
  const words = new Set<string>();
  let opaque = false;
  let returns = false;
  const ownName = skip && ts.isClassDeclaration(skip) ? skip.name : undefined;
  walk(root, (n) => {
    if (skip && n !== root && ts.isClassElement(n) && n.parent === skip) return [];
    if (n === ownName) return [];
    if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n) || ts.isStringLiteralLike(n)) words.add(n.text);
    else if (n.kind === ts.SyntaxKind.ThisType) opaque = true;
    else if (n.kind === ts.SyntaxKind.ThisKeyword && !readsNamedMember(n)) opaque = true;
    else if ((ts.isReturnStatement(n) && n.expression) || ts.isYieldExpression(n)) returns = true;
    return childrenOf(n);
  });
  return { words, opaque, returns };
}

/** A class member's type comes from its body when it has no annotation and returns a value (or is a property with an initializer); any other declaration's may. */
function typedByBody(node: ts.Node, returns: boolean): boolean {
  if (ts.isPropertyDeclaration(node)) return !node.type && node.initializer !== undefined;
  if (ts.isMethodDeclaration(node) || ts.isGetAccessor(node)) return !node.type && returns;
  if (ts.isClassElement(node)) return false;
  return true;
}

/** `this.name` or `this['name']`. */
function readsNamedMember(self: ts.Node): boolean {
  const p = self.parent;
  if (ts.isPropertyAccessExpression(p) && p.expression === self) return true;
  return ts.isElementAccessExpression(p) && p.expression === self && ts.isStringLiteralLike(p.argumentExpression);
}

/** The names a top-level statement declares (every name inside a namespace or `declare global`). */
function declaredNames(st: ts.Statement): string[] {
  if (ts.isModuleDeclaration(st)) return [...wordsOf(st).words];
  if (ts.isVariableStatement(st)) return st.declarationList.declarations.flatMap((d) => bindingNames(d.name));
  if (
    (ts.isFunctionDeclaration(st) ||
      ts.isClassDeclaration(st) ||
      ts.isInterfaceDeclaration(st) ||
      ts.isTypeAliasDeclaration(st) ||
      ts.isEnumDeclaration(st)) &&
    st.name
  )
    return [st.name.text];
  return [];
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(e.name)));
}

/**
 * A member line of a flow's interface in the generated module augmentation, as artifactTypesText
 * writes it: `    name: type;` or `    readonly [FLOW_TYPES]?: …;`.
 */
const MEMBER_LINE = /^ {4}(readonly \[FLOW_TYPES\]\?|[A-Za-z_$][\w$]*|"(?:[^"\\]|\\.)*"): /;

/**
 * The artifacts whose generated type differs between two generated texts (`input` when FLOW_TYPES
 * differs: `this.input` reads it); 'all' when they differ in anything but the member lines of the
 * flows' interfaces (the configs' types, say).
 */
export function changedDeclarations(before: string, now: string): Set<string> | 'all' {
  const a = declarationLines(before);
  const b = declarationLines(now);
  if (a.rest !== b.rest) return 'all';
  const changed = new Set<string>();
  for (const key of new Set([...a.members.keys(), ...b.members.keys()])) {
    if (a.members.get(key) === b.members.get(key)) continue;
    changed.add(memberName(a.members.get(key) ?? b.members.get(key)!)!);
  }
  return changed;
}

/** The artifact a generated member line declares (`input` for FLOW_TYPES's), undefined for another line. */
export function memberName(line: string): string | undefined {
  const name = MEMBER_LINE.exec(line)?.[1];
  if (name === undefined) return undefined;
  return name.startsWith('readonly [FLOW_TYPES]') ? 'input' : name.startsWith('"') ? (JSON.parse(name) as string) : name;
}

function declarationLines(text: string): { members: Map<string, string>; rest: string } {
  const members = new Map<string, string>();
  const rest: string[] = [];
  let augmentation = false;
  let block = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('//')) continue;
    if (/^\S/.test(line)) augmentation = line.startsWith('declare module ');
    if (line.startsWith('  interface ')) block = line;
    const member = augmentation ? MEMBER_LINE.exec(line) : null;
    if (member) members.set(`${block}\n${member[1]}`, line);
    else rest.push(line);
  }
  return { members, rest: rest.join('\n') };
}
