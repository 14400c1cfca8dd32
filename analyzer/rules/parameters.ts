// parameter-duplicate, parameter-type, parameter-assignment, and reserved names for artifacts
// and parameters.
import { Rule, diag } from './context';
import type { FlowDiagnostic } from '../../model/flowModel';
import { RESERVED_NAMES } from '../../model/reserved';
import { TYPE_OF_CONSTRUCTOR } from '../../model/parameters';

/** Instance members of FlowSpec: an artifact or parameter field of that name would shadow them. */

const TYPE_NAMES = Object.keys(TYPE_OF_CONSTRUCTOR);

export const parameterDuplicates: Rule = (ctx) => {
  const out: FlowDiagnostic[] = [];
  const seen = new Map<string, number>();
  for (const p of ctx.flow.parameters) {
    const line = seen.get(p.name);
    if (line !== undefined) {
      out.push(
        diag(ctx, 'parameter-duplicate', 'error', `parameter '${p.name}' is declared twice (first on line ${line + 1})`, p.nameRange),
      );
    } else seen.set(p.name, p.range.start.line);
  }
  return out;
};

export const parameterTypes: Rule = (ctx) => {
  const out: FlowDiagnostic[] = [];
  for (const p of ctx.flow.parameters) {
    if (p.typeText !== undefined && p.typeRange) {
      const base = p.typeText.split('.').pop()!;
      if (!Object.hasOwn(TYPE_OF_CONSTRUCTOR, base)) {
        out.push(
          diag(
            ctx,
            'parameter-type',
            'error',
            `'${p.typeText}' is not a parameter type; use ${TYPE_NAMES.slice(0, -1).join(', ')} or ${TYPE_NAMES.at(-1)}`,
            p.typeRange,
          ),
        );
        continue;
      }
    }
    if (!p.defaultKind || !p.defaultRange || p.defaultKind === 'null') continue;
    const d = p.default;
    let problem: string | undefined;
    switch (p.type) {
      case 'string':
      case 'file':
        if (typeof d !== 'string') problem = `is a ${describe(d)}, not a string`;
        break;
      case 'number':
        if (typeof d !== 'number') problem = `is a ${describe(d)}, not a number`;
        break;
      case 'int':
        if (typeof d !== 'number') problem = `is a ${describe(d)}, not an integer`;
        else if (!Number.isSafeInteger(d)) problem = `is ${d}, not an integer`;
        break;
      case 'boolean':
        if (typeof d !== 'boolean') problem = `is a ${describe(d)}, not a boolean`;
        break;
      case 'json':
        if (typeof d === 'string') {
          try {
            JSON.parse(d);
          } catch {
            problem = 'is a string that is not valid JSON';
          }
        }
        break;
    }
    if (problem) out.push(diag(ctx, 'parameter-type', 'error', `the default of parameter '${p.name}' ${problem}`, p.defaultRange));
  }
  return out;
};

function describe(v: unknown): string {
  return Array.isArray(v) ? 'list' : v === null ? 'null' : typeof v === 'object' ? 'object' : typeof v;
}

export const parameterAssignments: Rule = (ctx) => {
  const out: FlowDiagnostic[] = [];
  const fields = new Map(ctx.flow.parameters.map((p) => [p.field, p]));
  for (const s of ctx.flow.steps) {
    for (const a of s.assignments) {
      if (a.via) continue;
      const p = fields.get(a.name);
      if (p)
        out.push(
          diag(
            ctx,
            'parameter-assignment',
            'error',
            `'${a.name}' is a parameter and read-only in steps; store the value in another artifact`,
            a.range,
            s.name,
          ),
        );
    }
  }
  return out;
};

export const reservedArtifactNames: Rule = (ctx) => {
  const out: FlowDiagnostic[] = [];
  for (const p of ctx.flow.parameters) {
    if (RESERVED_NAMES.has(p.field))
      out.push(diag(ctx, 'reserved-name', 'error', `'${p.field}' is a FlowSpec member and cannot name a parameter field`, p.range));
  }
  for (const s of ctx.flow.steps) {
    const seen = new Set<string>();
    for (const a of s.assignments) {
      if (a.via || seen.has(a.name)) continue;
      if (RESERVED_NAMES.has(a.name)) {
        seen.add(a.name);
        out.push(diag(ctx, 'reserved-name', 'error', `'${a.name}' is a FlowSpec member and cannot be an artifact name`, a.range, s.name));
      } else if (ctx.graph.steps.has(a.name)) {
        seen.add(a.name);
        out.push(diag(ctx, 'reserved-name', 'error', `'${a.name}' is a step of this flow and cannot be an artifact name`, a.range, s.name));
      }
    }
  }
  return out;
};
