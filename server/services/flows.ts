// The `flowspec/flows` request: each flow of a document with its edges and diagnostics
// (the extension's CodeLens, parameter prompts and graph preview read it).
import { AnalysisResult, FlowDiagnostic, FlowModel, GraphEdge, graphEdges } from '../../analyzer';

export interface FlowsParams {
  uri: string;
}
export interface FlowsResult {
  flows: Array<FlowModel & { edges: GraphEdge[]; diagnostics: FlowDiagnostic[] }>;
}

export function flowsOf(result: AnalysisResult): FlowsResult {
  return {
    flows: result.flows.map((f) => ({
      ...f,
      edges: graphEdges(f),
      diagnostics: result.diagnostics.filter((d) => d.flow === f.name),
    })),
  };
}
