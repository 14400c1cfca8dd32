// Syntax → model: finds the classes that extend FlowSpec, or another flow class of the file, and
// reads each into a FlowModel (flowClass.ts: members, steps, parameters). Needs no type
// information, so a half-typed buffer still gives a graph.
import { ts } from 'ts-morph';
import { mayContainFlow, type FlowModel } from '../model/flowModel';
import { FileFacts, className, readFlowClass } from './flowClass';
import { childrenOf, walk } from './syntax';

export interface ParsedFile extends FileFacts {
  flows: FlowModel[];
  sourceFile: ts.SourceFile;
}

/** Does the class extend FlowSpec (`extends FlowSpec` or `extends fs.FlowSpec`)? */
export function extendsFlowSpec(node: ts.ClassLikeDeclaration): boolean {
  for (const clause of node.heritageClauses ?? []) {
    if (clause.token !== ts.SyntaxKind.ExtendsKeyword) continue;
    for (const t of clause.types) {
      const e = t.expression;
      if (ts.isIdentifier(e) && e.text === 'FlowSpec') return true;
      if (ts.isPropertyAccessExpression(e) && e.name.text === 'FlowSpec') return true;
    }
  }
  return false;
}

export { mayContainFlow };

function parentName(node: ts.ClassLikeDeclaration): string | undefined {
  for (const clause of node.heritageClauses ?? []) {
    if (clause.token !== ts.SyntaxKind.ExtendsKeyword) continue;
    const e = clause.types[0]?.expression;
    if (e && ts.isIdentifier(e)) return e.text;
  }
  return undefined;
}

export function parseFlows(sf: ts.SourceFile): ParsedFile {
  const out: ParsedFile = { flows: [], assignedValues: new Map(), sourceFile: sf, tooDeep: [] };
  const classes = classesOf(sf);
  const flows = new FlowClasses(sf, classes, out);
  for (const c of classes) {
    const m = flows.model(c);
    if (m) out.flows.push(m);
  }
  flows.markBases();
  return out;
}

/** The classes of the file declared as statements (also in blocks and namespaces) or as a variable's value. */
function classesOf(sf: ts.SourceFile): ts.ClassLikeDeclaration[] {
  const classes: ts.ClassLikeDeclaration[] = [];
  walk(sf, (node) => {
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) classes.push(node);
    const holdsClasses =
      ts.isBlock(node) ||
      ts.isSourceFile(node) ||
      ts.isModuleBlock(node) ||
      ts.isModuleDeclaration(node) ||
      ts.isVariableStatement(node) ||
      ts.isVariableDeclarationList(node) ||
      ts.isVariableDeclaration(node) ||
      ts.isExportAssignment(node) ||
      ts.isClassDeclaration(node) ||
      ts.isClassExpression(node);
    return holdsClasses ? childrenOf(node) : [];
  });
  return classes;
}

/**
 * The flows among a file's classes, each read once: a flow extends FlowSpec, or another flow
 * class of the file (and inherits its steps, parameters and members).
 */
class FlowClasses {
  private readonly models = new Map<ts.ClassLikeDeclaration, FlowModel | null>();
  private readonly byName: Map<string, ts.ClassLikeDeclaration>;
  /** Names of the flows another flow of the file extends. */
  private readonly extended = new Set<string>();

  constructor(
    private readonly sf: ts.SourceFile,
    classes: ts.ClassLikeDeclaration[],
    private readonly out: FileFacts,
  ) {
    this.byName = new Map(classes.map((c) => [className(c), c]));
  }

  /** The class's flow model, or null when it is not a flow. */
  model(c: ts.ClassLikeDeclaration, depth = 0): FlowModel | null {
    if (this.models.has(c)) return this.models.get(c)!;
    this.models.set(c, null); // a class that extends itself, through any chain, is no flow
    const m = extendsFlowSpec(c) ? readFlowClass(this.sf, c, this.out) : this.subclassModel(c, depth);
    this.models.set(c, m);
    return m;
  }

  /** Abstract flows, and flows others extend, are bases (not validated as flows of their own). */
  markBases(): void {
    for (const [c, m] of this.models) {
      if (m && (isAbstract(c) || this.extended.has(m.name))) m.base = true;
    }
  }

  private subclassModel(c: ts.ClassLikeDeclaration, depth: number): FlowModel | null {
    const parent = parentName(c);
    const parentClass = parent !== undefined ? this.byName.get(parent) : undefined;
    const base = parentClass && depth < 20 ? this.model(parentClass, depth + 1) : null;
    if (!base) return null;
    this.extended.add(base.name);
    return inherit(base, readFlowClass(this.sf, c, this.out));
  }
}

/** A subclass's model: its own steps, parameters, configs and members over those of its base. */
function inherit(base: FlowModel, own: FlowModel): FlowModel {
  const ownSteps = new Set(own.steps.map((s) => s.name));
  const ownParams = new Set(own.parameters.map((p) => p.field));
  return {
    ...own,
    steps: [...base.steps.filter((s) => !ownSteps.has(s.name)), ...own.steps],
    parameters: [...base.parameters.filter((p) => !ownParams.has(p.field)), ...own.parameters],
    configs: [...(base.configs ?? []).filter((c) => !own.members[c.field]), ...(own.configs ?? [])],
    configExprs: [...(base.configExprs ?? []), ...(own.configExprs ?? [])],
    members: { ...base.members, ...own.members },
    memberRanges: { ...base.memberRanges, ...own.memberRanges },
  };
}

function isAbstract(c: ts.ClassLikeDeclaration): boolean {
  return (ts.getCombinedModifierFlags(c as ts.Declaration) & ts.ModifierFlags.Abstract) !== 0;
}
