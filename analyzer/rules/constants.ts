// constant-assignment: a step assigns a class constant (a field with a value that is not a
// Parameter). As Metaflow's class attributes, constants are artifacts of every task and
// read-only in steps; the runtime refuses the assignment when the step runs.
import { Rule, diag } from './context';
import type { FlowDiagnostic } from '../../model/flowModel';

export const constantAssignments: Rule = (ctx) => {
  const out: FlowDiagnostic[] = [];
  for (const s of ctx.flow.steps) {
    for (const a of s.assignments) {
      if (a.via || ctx.flow.members[a.name] !== 'constant') continue;
      out.push(
        diag(
          ctx,
          'constant-assignment',
          'error',
          `'${a.name}' is a class constant and read-only in steps; assign another artifact, or declare the field without a value (${a.name}!: T) to make it an artifact`,
          a.range,
          s.name,
        ),
      );
    }
  }
  return out;
};
