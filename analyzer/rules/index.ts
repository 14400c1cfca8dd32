// The rule registry. GRAPH_RULES need only the model's steps and transitions (the runtime runs
// them before a run); DATA_RULES follow artifacts and parameters through the graph.
import type { FlowDiagnostic, FlowModel, ArtifactAccess } from '../../model/flowModel';
import { flowGraph } from '../graph';
import { computeDataFlow, DataFlow } from '../dataflow';
import { Rule, RuleContext } from './context';
import { flowTooLarge, MAX_DATAFLOW_STEPS } from '../limits';
import { invalidStepNames, reservedStepNames } from './names';
import { endHasTransition, invalidTransition, joinArity, missingTransition, startAndEnd } from './structure';
import { unknownSteps } from './targets';
import { foreachIntoJoin, splitJoinBalance } from './joins';
import { cycles, unreachableSteps } from './cycles';
import { parallelSteps } from './parallel';
import { decoratorForms } from './decoratorForms';
import { artifactReads, mergeConflicts } from './artifacts';
import { artifactPresence } from './reads';
import { foreachTargets, switchConditions } from './foreach';
import { constantAssignments } from './constants';
import { configDefaultFiles, configExprPaths } from './configs';
import { parameterAssignments, parameterDuplicates, parameterTypes, reservedArtifactNames } from './parameters';

export const GRAPH_RULES: Rule[] = [
  startAndEnd,
  reservedStepNames,
  invalidStepNames,
  endHasTransition,
  missingTransition,
  invalidTransition,
  joinArity,
  unknownSteps,
  cycles,
  splitJoinBalance,
  foreachIntoJoin,
  unreachableSteps,
  parallelSteps,
  decoratorForms,
];

export const DATA_RULES: Rule[] = [
  foreachTargets,
  switchConditions,
  artifactReads,
  artifactPresence,
  mergeConflicts,
  parameterDuplicates,
  parameterTypes,
  parameterAssignments,
  constantAssignments,
  reservedArtifactNames,
  configDefaultFiles,
  configExprPaths,
];

export interface ValidateOptions {
  /** Type-based answer to "is this assigned value iterable?" (see typecheck.ts). */
  isIterable?: (assignment: ArtifactAccess) => boolean | undefined;
  /** The flow file's path (config rules look for default config files from it). */
  file?: string;
}

function context(flow: FlowModel, options: ValidateOptions = {}): RuleContext {
  let df: DataFlow | undefined;
  return {
    flow,
    graph: flowGraph(flow),
    dataflow: () => (df ??= computeDataFlow(flow)),
    isIterable: options.isIterable,
    ...(options.file !== undefined ? { file: options.file } : {}),
  };
}

function run(rules: Rule[], ctx: RuleContext): FlowDiagnostic[] {
  return rules.flatMap((r) => r(ctx));
}

/** The graph rules only: start/end, transitions, unknown steps, joins, cycles, names, reachability. */
export function validateGraph(flow: FlowModel): FlowDiagnostic[] {
  return sortDiagnostics(run(GRAPH_RULES, context(flow)));
}

/** Every rule (the graph rules only, and one `flow-too-large`, for a flow of very many steps). */
export function validateFlow(flow: FlowModel, options: ValidateOptions = {}): FlowDiagnostic[] {
  const ctx = context(flow, options);
  const graph = run(GRAPH_RULES, ctx);
  if (flow.steps.length > MAX_DATAFLOW_STEPS) return sortDiagnostics([...graph, flowTooLarge(flow)]);
  // Artifact rules are only meaningful once the graph itself holds together enough to walk.
  return sortDiagnostics([...graph, ...run(DATA_RULES, ctx)]);
}

export function sortDiagnostics(ds: FlowDiagnostic[]): FlowDiagnostic[] {
  return ds.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code),
  );
}
