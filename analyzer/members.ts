// Reads a flow class's members: which methods are steps, which fields are parameters or configs, and what
// every other member is (a method, a class constant or a plain field), so that a step reading
// `this.x` can tell an artifact from the rest. Syntax only.
import { ts } from 'ts-morph';
import type { ConfigModel, ParameterModel } from '../model/flowModel';
import { isConfigCall, readConfig } from './configs';
import { isStepMethod } from './decorators';
import { isParameterCall, readParameter } from './parameters';
import { childrenOf, isThisScope, nameText, skipOuter, thisMemberName, walk } from './syntax';

export interface MemberInfo {
  kind: 'constant' | 'field' | 'method';
  /** The member's name where it is declared (a constructor-set field: the first `this.x =`). */
  nameNode: ts.Node;
  /** A method's body: helpers are read once and folded into the steps that call them. */
  body?: ts.Node;
}

export interface ClassMembers {
  /** Every member that is neither a step nor a parameter, by name. */
  members: Record<string, MemberInfo>;
  stepNodes: ts.MethodDeclaration[];
  parameters: ParameterModel[];
  /** `Config` fields; each is a constant member too (`this.cfg` is readable in every step). */
  configs: ConfigModel[];
}

export function readMembers(sf: ts.SourceFile, node: ts.ClassLikeDeclaration): ClassMembers {
  const out: ClassMembers = { members: {}, stepNodes: [], parameters: [], configs: [] };
  for (const m of node.members) readMember(sf, m, out);
  return out;
}

function readMember(sf: ts.SourceFile, m: ts.ClassElement, out: ClassMembers): void {
  const name = nameText(m.name);
  if (ts.isMethodDeclaration(m)) {
    if (isStepMethod(m)) out.stepNodes.push(m);
    else if (name !== undefined) out.members[name] = { kind: 'method', body: m.body, nameNode: m.name };
  } else if (ts.isGetAccessor(m) || ts.isSetAccessor(m)) {
    if (name !== undefined) out.members[name] = { kind: 'method', body: m.body, nameNode: m.name };
  } else if (ts.isConstructorDeclaration(m) && m.body) {
    readConstructorFields(m.body, out.members);
  } else if (ts.isPropertyDeclaration(m) && name !== undefined) {
    const init = m.initializer && skipOuter(m.initializer);
    if (init && isParameterCall(init)) out.parameters.push(readParameter(sf, name, m, init));
    else out.members[name] = { ...propertyInfo(init), nameNode: m.name };
    if (init && isConfigCall(init)) out.configs.push(readConfig(sf, name, m, init));
  }
}

/** Fields the constructor sets are there in every step, like class constants. */
function readConstructorFields(body: ts.Block, members: Record<string, MemberInfo>): void {
  walk(body, (n) => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const f = thisMemberName(n.left);
      if (f !== undefined && !members[f])
        members[f] = { kind: 'constant', nameNode: ts.isPropertyAccessExpression(n.left) ? n.left.name : n.left };
    }
    return isThisScope(n) ? [] : childrenOf(n);
  });
}

function propertyInfo(init: ts.Expression | undefined): Omit<MemberInfo, 'nameNode'> {
  if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return { kind: 'method', body: init.body };
  // A class constant: an artifact of every task, read-only in steps (as Metaflow's class attributes).
  if (init && !isUndefinedLiteral(init)) return { kind: 'constant' };
  return { kind: 'field' };
}

/** `undefined` or `void 0`: a field with such a value is an artifact's declaration, not a constant. */
function isUndefinedLiteral(e: ts.Expression): boolean {
  return (ts.isIdentifier(e) && e.text === 'undefined') || ts.isVoidExpression(e);
}
