// `▶ Run  ↻ Resume  Debug  Graph` above each flow class and `Spin  Debug Spin` above each step, from the server's flows.
import * as vscode from 'vscode';
import { FlowIndex } from './flowIndex';
import type { RunWhere } from './prompts';

/** Where ▶ Run runs for a file's folder: whether Slurm is at hand, and the place chosen last. */
export type RunPlaceOf = (uri: vscode.Uri) => Promise<{ slurm: boolean; last?: RunWhere }>;

export const LENS_TITLES = {
  run: '▶ Run',
  runOnSlurm: '▶ Run on Slurm',
  runLocally: '▶ Run locally',
  resume: '↻ Resume',
  debug: 'Debug',
  graph: 'Graph',
  spin: 'Spin',
  debugSpin: 'Debug Spin',
} as const;

export class FlowCodeLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(
    private readonly index: FlowIndex,
    private readonly runPlace: RunPlaceOf,
    onDidChangeRunPlace: vscode.Event<void>,
  ) {
    this.onDidChangeCodeLenses = (listener, thisArg, disposables) => {
      const subscriptions = [index.onDidChange(() => listener.call(thisArg)), onDidChangeRunPlace(() => listener.call(thisArg))];
      const all = vscode.Disposable.from(...subscriptions);
      disposables?.push(all);
      return all;
    };
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    let flows;
    try {
      flows = await this.index.flows(document);
    } catch {
      return [];
    }
    const uri = document.uri.toString();
    // With Slurm at hand, ▶ Run runs where the user chose last; the other place is a lens of its own.
    const place = await this.runPlace(document.uri).catch(() => ({ slurm: false, last: undefined }));
    const other: RunWhere | undefined = place.slurm && place.last ? (place.last === 'slurm' ? 'local' : 'slurm') : undefined;
    return flows.flatMap((flow) => {
      const range = new vscode.Range(flow.range.start.line, 0, flow.range.start.line, 0);
      const arg = { uri, flow: flow.name };
      const lens = (title: string, command: string, tooltip: string) =>
        new vscode.CodeLens(range, { title, command, arguments: [arg], tooltip });
      return [
        lens(
          place.last === 'slurm' && place.slurm ? LENS_TITLES.runOnSlurm : LENS_TITLES.run,
          'flowspec.run',
          `Run ${flow.name}${place.slurm && place.last ? (place.last === 'slurm' ? ' on Slurm' : ' on this machine') : ''} (asks for its parameters)`,
        ),
        ...(other
          ? [
              new vscode.CodeLens(range, {
                title: other === 'slurm' ? LENS_TITLES.runOnSlurm : LENS_TITLES.runLocally,
                command: 'flowspec.run',
                arguments: [{ ...arg, with: other }],
                tooltip: `Run ${flow.name} ${other === 'slurm' ? 'as Slurm jobs' : 'on this machine'}; ▶ Run then runs there`,
              }),
            ]
          : []),
        lens(LENS_TITLES.resume, 'flowspec.resume', `Resume a failed run of ${flow.name}`),
        lens(LENS_TITLES.debug, 'flowspec.debug', `Run ${flow.name} under the debugger: breakpoints in steps stop`),
        lens(LENS_TITLES.graph, 'flowspec.showGraph', `Show the graph of ${flow.name}`),
        // A @parallel step has no Spin: spin runs one task, not a gang (the CLI refuses it).
        ...flow.steps
          .filter((step) => !step.decorators.includes('parallel'))
          .flatMap((step) => {
            const at = new vscode.Range(step.range.start.line, 0, step.range.start.line, 0);
            const spin = { uri, flow: flow.name, step: step.name };
            return [
              new vscode.CodeLens(at, {
                title: LENS_TITLES.spin,
                command: 'flowspec.spin',
                arguments: [spin],
                tooltip: `Run ${step.name} alone, as the file is now, with the inputs it had in the latest run of ${flow.name}`,
              }),
              new vscode.CodeLens(at, {
                title: LENS_TITLES.debugSpin,
                command: 'flowspec.debugSpin',
                arguments: [spin],
                tooltip: `Spin ${step.name} under the debugger: breakpoints in it stop`,
              }),
            ];
          }),
      ];
    });
  }
}
