// The analyzer's public API: pure functions from document text to flows, diagnostics and graphs.
// No LSP types: the CLI, the language server, the runtime and the extension share it.
export * from '../model/flowModel';
export { analyzeText, analysisTurns } from './analyze';
export type { AnalyzeOptions } from './analyze';
export { forgetDocument } from './project';
export { mayContainFlow } from './parse';
export { graphEdges, stepOrder, incomingSteps, flowGraph } from './graph';
export type { FlowGraph } from './graph';
export type { SplitFrame } from '../model/graph';
export { validateGraph, validateFlow, GRAPH_RULES, DATA_RULES } from './rules';
export { computeDataFlow } from './dataflow';
export type { DataFlow, ArtifactState } from './dataflow';
export { renderDot, renderMermaid, graphJson, renderShow } from './render';
export type { GraphJson } from './render';
export { closest } from './suggest';
export { defaultConfigFile, defaultConfigPaths, parseConfigFile } from './configFiles';
export type { DefaultConfigFile } from './configFiles';
export { refreshTypes, generateTypes, writeTypes, typesProject, projectFlowFiles, TYPES_DIR } from './typesProgram';
export type { Refreshed, GeneratedTypes, TypesProject } from './typesProgram';
export { MAX_DATAFLOW_STEPS } from './limits';
export {
  symbolAt,
  definitionsAt,
  definitionsAtExit,
  referencesAt,
  renameRangeAt,
  renameEdits,
  RenameRefused,
  reachingSites,
  parameterFieldRange,
  contains,
  flowAt,
  stepAt,
} from './navigation';
export type { FlowSymbol, Occurrence, OccurrenceRole } from './navigation';
export type { ArtifactType, FlowArtifactTypes } from './artifactTypes';
