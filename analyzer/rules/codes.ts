// Every diagnostic code the rules emit, with whether a flow showing it cannot run. The pre-run
// check (`flowspec run`) refuses a flow with an error whose code blocks a run; the other findings
// (data-flow rules, which can be wrong about code that runs) are only shown, as warnings. A rule
// names its code through `diag()`, which only takes codes listed here.

export const DIAGNOSTIC_CODES = {
  'missing-start': { blocksRun: true },
  'missing-end': { blocksRun: true },
  'end-has-transition': { blocksRun: true },
  'missing-transition': { blocksRun: true },
  'unknown-step': { blocksRun: true },
  'invalid-transition': { blocksRun: true },
  'not-a-join': { blocksRun: true },
  'join-needs-inputs': { blocksRun: true },
  'join-arity': { blocksRun: true },
  'unjoined-branch': { blocksRun: true },
  cycle: { blocksRun: true },
  'reserved-name': { blocksRun: true },
  'invalid-step-name': { blocksRun: true },
  'parameter-duplicate': { blocksRun: true },
  'empty-foreach': { blocksRun: true },
  'invalid-switch': { blocksRun: true },
  'parallel-without-decorator': { blocksRun: true },
  'parallel-without-join': { blocksRun: true },
  'parallel-without-num-parallel': { blocksRun: true },
  'decorator-form': { blocksRun: true },
  'unreachable-step': { blocksRun: false },
  'bad-foreach-target': { blocksRun: false },
  'bad-switch-condition': { blocksRun: false },
  'ambiguous-artifact': { blocksRun: false },
  'unmerged-artifact': { blocksRun: false },
  // A read the analyzer cannot see run (a branch never taken) may be fine: shown, never refused.
  'unknown-artifact': { blocksRun: false },
  'artifact-maybe-unset': { blocksRun: false },
  'invalid-merge': { blocksRun: false },
  'parameter-type': { blocksRun: false },
  'parameter-assignment': { blocksRun: false },
  'constant-assignment': { blocksRun: false },
  // A run reads configs itself and refuses a missing or bad file with its own line (from where it
  // starts, which the analyzer cannot know), or may be given another file: shown, never refused.
  'config-file-missing': { blocksRun: false },
  'config-file-invalid': { blocksRun: false },
  'unknown-config': { blocksRun: false },
  'unknown-config-key': { blocksRun: false },
  // The analyzer's own limits (analyzer/limits.ts): fewer checks, said once.
  'flow-too-large': { blocksRun: false },
  'nesting-too-deep': { blocksRun: false },
} as const satisfies Record<string, { blocksRun: boolean }>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
