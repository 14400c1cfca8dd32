// Syntax → model: finds the classes that extend FlowSpec and reads their steps, transitions,
// parameters and artifact accesses. Needs no type information, so a half-typed buffer still
// gives a graph.
import { ts } from 'ts-morph';
import type { ArtifactAccess, FlowModel, ParameterModel, Range, StepKind, StepModel } from '../model/flowModel';
import { TYPE_OF_CONSTRUCTOR, typeOfDefault } from '../model/parameters';
import { BodyFacts, readBody } from './body';
import {
  NOT_LITERAL, calleeName, childrenOf, walk, decoratorName, decoratorsOf, isThisScope, leadingDoc, literalValue, nameText, pos, rangeOf, skipOuter,
  thisMemberName,
} from './syntax';

export interface ParsedFile {
  flows: FlowModel[];
  /** The value expression of each `this.x = value` assignment (for type-based rules). */
  assignedValues: Map<ArtifactAccess, ts.Expression>;
  sourceFile: ts.SourceFile;
  /** Steps whose bodies nest too deeply for the path checks (they are skipped there). */
  tooDeep: Array<{ flow: string; step: string; range: Range }>;
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

/** Quick test before parsing: could the text hold a flow at all? */
export function mayContainFlow(text: string): boolean {
  return /extends\s+(?:[\w$]+\s*\.\s*)?FlowSpec\b/.test(text);
}

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
  const classes: ts.ClassLikeDeclaration[] = [];
  walk(sf, (node) => {
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) classes.push(node);
    const holdsClasses = ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node) || ts.isModuleDeclaration(node)
      || ts.isVariableStatement(node) || ts.isVariableDeclarationList(node) || ts.isVariableDeclaration(node)
      || ts.isExportAssignment(node) || ts.isClassDeclaration(node) || ts.isClassExpression(node);
    return holdsClasses ? childrenOf(node) : [];
  });
  // A flow extends FlowSpec, or another flow class of the file (and inherits its steps).
  const byName = new Map(classes.map((c) => [className(c), c]));
  const models = new Map<ts.ClassLikeDeclaration, FlowModel | null>();
  const extended = new Set<string>();
  const model = (c: ts.ClassLikeDeclaration, depth = 0): FlowModel | null => {
    if (models.has(c)) return models.get(c)!;
    models.set(c, null);
    let m: FlowModel | null = null;
    if (extendsFlowSpec(c)) {
      m = parseFlow(sf, c, out);
    } else {
      const parent = parentName(c);
      const pc = parent !== undefined ? byName.get(parent) : undefined;
      const base = pc && depth < 20 ? model(pc, depth + 1) : null;
      if (base) {
        extended.add(base.name);
        const own = parseFlow(sf, c, out);
        const ownSteps = new Set(own.steps.map((s) => s.name));
        const ownParams = new Set(own.parameters.map((p) => p.field));
        m = {
          ...own,
          steps: [...base.steps.filter((s) => !ownSteps.has(s.name)), ...own.steps],
          parameters: [...base.parameters.filter((p) => !ownParams.has(p.field)), ...own.parameters],
          members: { ...base.members, ...own.members },
        };
      }
    }
    models.set(c, m);
    return m;
  };
  for (const c of classes) {
    const m = model(c);
    if (m) out.flows.push(m);
  }
  for (const [c, m] of models) {
    if (!m) continue;
    const isAbstract = !!ts.getCombinedModifierFlags(c as ts.Declaration) && (ts.getCombinedModifierFlags(c as ts.Declaration) & ts.ModifierFlags.Abstract) !== 0;
    if (isAbstract || extended.has(m.name)) m.base = true;
  }
  return out;
}

/** `undefined` or `void 0`: a field with such a value is an artifact's declaration, not a constant. */
function isUndefinedLiteral(e: ts.Expression): boolean {
  return (ts.isIdentifier(e) && e.text === 'undefined') || ts.isVoidExpression(e);
}

function className(node: ts.ClassLikeDeclaration): string {
  if (node.name) return node.name.text;
  if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) return node.parent.name.text;
  return 'default';
}

interface MemberInfo {
  kind: 'constant' | 'field' | 'method';
  body?: ts.Node;
}

function parseFlow(sf: ts.SourceFile, node: ts.ClassLikeDeclaration, out: ParsedFile): FlowModel {
  const name = className(node);
  const { assignedValues } = out;
  const members: Record<string, MemberInfo> = {};
  const stepNodes: ts.MethodDeclaration[] = [];
  const parameters: ParameterModel[] = [];

  for (const m of node.members) {
    const mname = nameText(m.name);
    if (ts.isMethodDeclaration(m)) {
      const isStep = decoratorsOf(m).some((d) => decoratorName(d) === 'step');
      if (isStep) stepNodes.push(m);
      else if (mname !== undefined) members[mname] = { kind: 'method', body: m.body };
    } else if (ts.isGetAccessor(m) || ts.isSetAccessor(m)) {
      if (mname !== undefined) members[mname] = { kind: 'method', body: m.body };
    } else if (ts.isConstructorDeclaration(m) && m.body) {
      // Fields the constructor sets are there in every step, like class constants.
      walk(m.body, (n) => {
        if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
          const f = thisMemberName(n.left);
          if (f !== undefined && !members[f]) members[f] = { kind: 'constant' };
        }
        return isThisScope(n) ? [] : childrenOf(n);
      });
    } else if (ts.isPropertyDeclaration(m) && mname !== undefined) {
      const init = m.initializer && skipOuter(m.initializer);
      if (init && ts.isCallExpression(init) && ['Parameter', 'IncludeFile'].includes(calleeName(init) ?? '')) {
        parameters.push(parseParameter(sf, mname, m, init));
      } else if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
        members[mname] = { kind: 'method', body: init.body };
      } else if (init && !isUndefinedLiteral(init)) {
        // A class constant: an artifact of every task, read-only in steps (as Metaflow's class attributes).
        members[mname] = { kind: 'constant' };
      } else {
        members[mname] = { kind: 'field' };
      }
    }
  }

  const stepNames = new Set(stepNodes.map((m) => nameText(m.name) ?? m.name.getText(sf)));
  const paramFields = new Set(parameters.map((p) => p.field));
  const ctx = {
    sf,
    kindOf(n: string) {
      if (stepNames.has(n)) return 'step' as const;
      if (paramFields.has(n)) return 'parameter' as const;
      return members[n]?.kind;
    },
  };

  // Helpers (non-step methods) are read once and folded into the steps that call them.
  const helperFacts = new Map<string, BodyFacts>();
  const helper = (h: string): BodyFacts | undefined => {
    if (!members[h]?.body) return undefined;
    if (!helperFacts.has(h)) helperFacts.set(h, readBody(ctx, members[h].body));
    return helperFacts.get(h);
  };

  const steps: StepModel[] = stepNodes.map((m) => {
    const sname = nameText(m.name) ?? m.name.getText(sf);
    const paramNodes = m.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === 'this'));
    const params = paramNodes.map((p) => ({ name: p.name.getText(sf), range: rangeOf(sf, p) }));
    const inputsName = paramNodes[0] && ts.isIdentifier(paramNodes[0].name) ? paramNodes[0].name.text : undefined;
    const facts = readBody(ctx, m.body, inputsName);
    if (facts.tooDeep) out.tooDeep.push({ flow: name, step: sname, range: rangeOf(sf, m.name) });
    // @catchError({ var: 'failure' }) stores the exception in an artifact.
    for (const d of decoratorsOf(m)) {
      if (decoratorName(d) !== 'catchError' || !ts.isCallExpression(d.expression)) continue;
      const opts = d.expression.arguments[0] && literalValue(d.expression.arguments[0]);
      const v = opts && typeof opts === 'object' ? (opts as Record<string, unknown>).var : undefined;
      if (typeof v === 'string') facts.assignments.push({ name: v, range: rangeOf(sf, d), offset: -1, shape: 'unknown' });
    }
    collectAssignedValues(facts, m.body, assignedValues, sf);

    // Fold in the helpers the step calls, transitively.
    const seen = new Set<string>();
    const queue = [...facts.helpers];
    const helperNext: BodyFacts[] = [];
    while (queue.length) {
      const h = queue.shift()!;
      if (seen.has(h)) continue;
      seen.add(h);
      const hf = helper(h);
      if (!hf) continue;
      for (const a of hf.assignments) facts.assignments.push({ ...a, offset: -1, via: h });
      if (hf.dynamic) facts.dynamic = true;
      if (hf.nextCalls.length) helperNext.push(hf);
      queue.push(...hf.helpers);
    }
    if (facts.nextCalls.length === 0 && helperNext.length) {
      facts.nextCalls = helperNext.flatMap((h) => h.nextCalls);
      facts.controlFlow = { pathWithoutNext: false, nextTwice: [], afterNext: [] };
    }

    const valid = facts.nextCalls.map((c) => c.transition).filter((t) => t !== null);
    const transition = valid[0] ?? null;
    const kind: StepKind = sname === 'start' ? 'start' : sname === 'end' ? 'end'
      : params.length > 0 ? 'join'
      : transition?.kind === 'branch' ? 'split' : transition?.kind === 'foreach' ? 'foreach'
      : transition?.kind === 'switch' ? 'switch' : 'linear';
    const decorators = decoratorsOf(m).map(decoratorName).filter((d): d is string => !!d && d !== 'step');
    return {
      name: sname,
      range: rangeOf(sf, m.name),
      fullRange: rangeOf(sf, m),
      kind,
      doc: leadingDoc(sf, m),
      decorators,
      transition,
      hasInputs: params.length > 0,
      assigns: [...new Set(facts.assignments.map((a) => a.name))],
      reads: [...new Set(facts.readAccesses.map((a) => a.name))],
      params,
      async: !!m.modifiers?.some((x) => x.kind === ts.SyntaxKind.AsyncKeyword),
      nextCalls: facts.nextCalls,
      controlFlow: facts.controlFlow,
      assignments: facts.assignments,
      readAccesses: facts.readAccesses,
      inputReads: facts.inputReads,
      merges: facts.merges,
      dynamic: facts.dynamic,
      helpers: [...seen],
    };
  });

  const memberKinds: FlowModel['members'] = {};
  for (const [k, v] of Object.entries(members)) memberKinds[k] = v.kind;
  const last = node.members[node.members.length - 1];
  const closeBrace = node.getEnd() - 1;
  const firstMember = node.members[0];
  let indent = '  ';
  if (firstMember) {
    const lc = sf.getLineAndCharacterOfPosition(firstMember.getStart(sf));
    const lineStart = sf.getPositionOfLineAndCharacter(lc.line, 0);
    const ws = sf.text.slice(lineStart, firstMember.getStart(sf));
    if (/^\s*$/.test(ws)) indent = ws;
  }
  return {
    name,
    range: node.name ? rangeOf(sf, node.name) : rangeOf(sf, node),
    fullRange: rangeOf(sf, node),
    doc: leadingDoc(sf, ts.isClassDeclaration(node) ? node : node.parent),
    steps,
    parameters,
    members: memberKinds,
    insertAt: pos(sf, last ? last.getEnd() : closeBrace),
    indent,
  };
}

/** Remembers the value expression of each assignment, for the type-based foreach check. */
function collectAssignedValues(facts: BodyFacts, body: ts.Node | undefined, into: Map<ArtifactAccess, ts.Expression>, sf: ts.SourceFile) {
  if (!body || facts.assignments.length === 0) return;
  const byOffset = new Map<number, ArtifactAccess>();
  for (const a of facts.assignments) if (a.shape === 'unknown') byOffset.set(a.offset, a);
  if (byOffset.size === 0) return;
  walk(body, (n) => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const a = byOffset.get(n.left.getStart(sf));
      if (a) into.set(a, n.right);
    }
    return childrenOf(n);
  });
}

function parseParameter(sf: ts.SourceFile, field: string, decl: ts.PropertyDeclaration, call: ts.CallExpression): ParameterModel {
  const declaration = calleeName(call) as 'Parameter' | 'IncludeFile';
  const nameArg = call.arguments[0] && skipOuter(call.arguments[0]);
  const model: ParameterModel = {
    field,
    name: nameArg && ts.isStringLiteralLike(nameArg) ? nameArg.text : field,
    type: declaration === 'IncludeFile' ? 'file' : 'string',
    required: false,
    range: rangeOf(sf, decl),
    declaration,
    nameRange: rangeOf(sf, nameArg ?? decl.name),
  };
  const opts = call.arguments[1] && skipOuter(call.arguments[1]);
  let explicitType = false;
  if (opts && ts.isObjectLiteralExpression(opts)) {
    for (const p of opts.properties) {
      if (!ts.isPropertyAssignment(p)) continue;
      const key = nameText(p.name);
      const value = skipOuter(p.initializer);
      if (key === 'help') {
        const v = literalValue(value);
        if (typeof v === 'string') model.help = v;
      } else if (key === 'required') {
        model.required = value.kind === ts.SyntaxKind.TrueKeyword;
      } else if (key === 'default') {
        model.defaultText = value.getText(sf);
        model.defaultRange = rangeOf(sf, value);
        const v = literalValue(value);
        if (v !== NOT_LITERAL) {
          model.default = v;
          model.defaultKind = v === null ? 'null' : typeof v;
        }
      } else if (key === 'type' && declaration === 'Parameter') {
        model.typeText = value.getText(sf);
        model.typeRange = rangeOf(sf, value);
        const tn = ts.isIdentifier(value) ? value.text : ts.isPropertyAccessExpression(value) ? value.name.text : '';
        if (TYPE_OF_CONSTRUCTOR[tn]) { model.type = TYPE_OF_CONSTRUCTOR[tn]; explicitType = true; }
      }
    }
  }
  if (declaration === 'Parameter' && !explicitType && model.defaultKind) model.type = typeOfDefault(model.defaultKind);
  return model;
}
