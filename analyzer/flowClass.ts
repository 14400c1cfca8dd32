// Reads one flow class into its FlowModel: its members, its steps, and where a code action
// inserts a new member. Which classes are flows, and what a subclass inherits, is parse.ts's.
import { ts } from 'ts-morph';
import type { ArtifactAccess, FlowModel, ParameterModel, Range } from '../model/flowModel';
import type { BodyContext } from './bodyFacts';
import { readConfigExprs } from './configs';
import { MemberInfo, readMembers } from './members';
import { helperReader, readStep, stepName } from './step';
import { leadingDoc, pos, rangeOf } from './syntax';

/** What the reading of a file's flow classes gathers besides their models. */
export interface FileFacts {
  /** The value expression of each `this.x = value` assignment (for type-based rules). */
  assignedValues: Map<ArtifactAccess, ts.Expression>;
  /** Steps whose bodies nest too deeply for the path checks (they are skipped there). */
  tooDeep: Array<{ flow: string; step: string; range: Range }>;
}

export function className(node: ts.ClassLikeDeclaration): string {
  if (node.name) return node.name.text;
  if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) return node.parent.name.text;
  return 'default';
}

export function readFlowClass(sf: ts.SourceFile, node: ts.ClassLikeDeclaration, out: FileFacts): FlowModel {
  const name = className(node);
  const { members, stepNodes, parameters, configs } = readMembers(sf, node);
  const ctx = bodyContext(sf, members, stepNodes, parameters);
  const helpers = helperReader(ctx, members);
  const steps = stepNodes.map((m) => {
    const { model, tooDeep } = readStep(ctx, m, helpers, out.assignedValues);
    if (tooDeep) out.tooDeep.push({ flow: name, step: model.name, range: rangeOf(sf, m.name) });
    return model;
  });
  const memberKinds: FlowModel['members'] = {};
  const memberRanges: FlowModel['memberRanges'] = {};
  for (const [k, v] of Object.entries(members)) {
    memberKinds[k] = v.kind;
    memberRanges[k] = rangeOf(sf, v.nameNode);
  }
  const last = node.members[node.members.length - 1];
  return {
    name,
    range: node.name ? rangeOf(sf, node.name) : rangeOf(sf, node),
    fullRange: rangeOf(sf, node),
    doc: leadingDoc(sf, ts.isClassDeclaration(node) ? node : node.parent),
    steps,
    parameters,
    configs,
    configExprs: readConfigExprs(sf, node),
    members: memberKinds,
    memberRanges,
    insertAt: pos(sf, last ? last.getEnd() : node.getEnd() - 1),
    indent: memberIndent(sf, node),
  };
}

/** Tells a step body which names are not artifacts: steps, parameters and the other members. */
function bodyContext(
  sf: ts.SourceFile,
  members: Record<string, MemberInfo>,
  stepNodes: ts.MethodDeclaration[],
  parameters: ParameterModel[],
): BodyContext {
  const stepNames = new Set(stepNodes.map((m) => stepName(sf, m)));
  const paramFields = new Set(parameters.map((p) => p.field));
  return {
    sf,
    kindOf(n: string) {
      if (stepNames.has(n)) return 'step' as const;
      if (paramFields.has(n)) return 'parameter' as const;
      return members[n]?.kind;
    },
  };
}

/** The indentation of the class's first member (two spaces when it has none, or shares its line). */
function memberIndent(sf: ts.SourceFile, node: ts.ClassLikeDeclaration): string {
  const firstMember = node.members[0];
  if (!firstMember) return '  ';
  const lc = sf.getLineAndCharacterOfPosition(firstMember.getStart(sf));
  const lineStart = sf.getPositionOfLineAndCharacter(lc.line, 0);
  const ws = sf.text.slice(lineStart, firstMember.getStart(sf));
  return /^\s*$/.test(ws) ? ws : '  ';
}
