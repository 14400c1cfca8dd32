// `▶ Run  ↻ Resume  Debug  Graph` above each flow class, from the server's flows.
import * as vscode from 'vscode';
import { FlowIndex } from './flowIndex';

export const LENS_TITLES = { run: '▶ Run', resume: '↻ Resume', debug: 'Debug', graph: 'Graph' } as const;

export class FlowCodeLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly index: FlowIndex) {
    this.onDidChangeCodeLenses = (listener, thisArg, disposables) =>
      index.onDidChange(() => listener.call(thisArg), undefined, disposables);
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    let flows;
    try {
      flows = await this.index.flows(document);
    } catch {
      return [];
    }
    const uri = document.uri.toString();
    return flows.flatMap((flow) => {
      const range = new vscode.Range(flow.range.start.line, 0, flow.range.start.line, 0);
      const arg = { uri, flow: flow.name };
      const lens = (title: string, command: string, tooltip: string) =>
        new vscode.CodeLens(range, { title, command, arguments: [arg], tooltip });
      return [
        lens(LENS_TITLES.run, 'flowspec.run', `Run ${flow.name} (asks for its parameters)`),
        lens(LENS_TITLES.resume, 'flowspec.resume', `Resume a failed run of ${flow.name}`),
        lens(LENS_TITLES.debug, 'flowspec.debug', `Run ${flow.name} under the debugger: breakpoints in steps stop`),
        lens(LENS_TITLES.graph, 'flowspec.showGraph', `Show the graph of ${flow.name}`),
      ];
    });
  }
}
