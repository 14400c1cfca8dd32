// What the analyzer does when a file is beyond what it checks in reasonable time and memory: it
// degrades to fewer checks and says so in one diagnostic, instead of hanging or dropping the file.
//
// - `flow-too-large` (warning): a flow of more than MAX_DATAFLOW_STEPS steps gets the graph rules
//   only; following artifacts through every step costs time and memory that grow with steps ×
//   artifacts (a 5,000-step flow took 16 s and 1.3 GB).
// - `nesting-too-deep` (warning): TypeScript's parser recurses over nesting, so a file nested some
//   thousand levels deep cannot be parsed (one diagnostic at the top of the file); a step whose
//   statements nest too deeply for the path checks skips them (one diagnostic on the step).
import type { FlowDiagnostic, FlowModel, Range } from '../model/flowModel';
import type { DiagnosticCode } from './rules/codes';

const FLOW_TOO_LARGE: DiagnosticCode = 'flow-too-large';
const NESTING_TOO_DEEP: DiagnosticCode = 'nesting-too-deep';

export const MAX_DATAFLOW_STEPS = 2000;

export function flowTooLarge(flow: FlowModel): FlowDiagnostic {
  return {
    code: FLOW_TOO_LARGE,
    severity: 'warning',
    flow: flow.name,
    range: flow.range,
    message: `${flow.name} has ${flow.steps.length.toLocaleString('en-US')} steps: the artifact checks are skipped above ${MAX_DATAFLOW_STEPS.toLocaleString('en-US')} steps (the graph is still checked)`,
  };
}

export function fileTooDeep(): FlowDiagnostic {
  const range: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return {
    code: NESTING_TOO_DEEP,
    severity: 'warning',
    range,
    message: 'this file nests too deeply to be parsed (thousands of levels of brackets or blocks): it is not checked',
  };
}

export function stepTooDeep(flow: string, step: string, range: Range): FlowDiagnostic {
  return {
    code: NESTING_TOO_DEEP,
    severity: 'warning',
    range,
    flow,
    step,
    message: `step '${step}' nests its statements too deeply to follow its paths: the checks that every path calls \`this.next\` once are skipped`,
  };
}
