// Params files (`flowspec run --params PFILE`) in the editor: which YAML/JSON files are params
// files and for which flow, their diagnostics and hover. No LSP types: services/params.ts converts.
export { associate, paramsLanguage } from './associate';
export { isParamsFileName } from '../../runtime/params/document';
export type { Association, FlowCandidate, ParamsHost, ParamsLanguage } from './associate';
export { analyzeParams, paramsHover, PARAMS_CODES } from './check';
export type { ParamsAnalysis, RefLookup, RefOutcome } from './check';
export { diskHost } from './host';
export { RefResolver, datastoreRootFor } from './refs';
