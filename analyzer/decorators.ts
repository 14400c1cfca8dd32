// The decorators of a flow class's methods, as the analyzer reads them: which methods are steps,
// the names of a step's other decorators and the form each is written in, and the artifact
// `@catchError({ var })` assigns.
import { ts } from 'ts-morph';
import type { ArtifactAccess, DecoratorUse } from '../model/flowModel';
import { decoratorName, decoratorsOf, literalValue, rangeOf } from './syntax';

export function isStepMethod(m: ts.MethodDeclaration): boolean {
  return decoratorsOf(m).some((d) => decoratorName(d) === 'step');
}

/** The step's decorators besides `@step`, by name, in source order. */
export function stepDecoratorNames(m: ts.MethodDeclaration): string[] {
  return decoratorsOf(m)
    .map(decoratorName)
    .filter((d): d is string => !!d && d !== 'step');
}

/** Every decorator of the method with the form it is written in (bare or called, how many arguments). */
export function decoratorUses(sf: ts.SourceFile, m: ts.MethodDeclaration): DecoratorUse[] {
  const uses: DecoratorUse[] = [];
  for (const d of decoratorsOf(m)) {
    const name = decoratorName(d);
    if (!name) continue;
    const call = ts.isCallExpression(d.expression) ? d.expression : undefined;
    uses.push({ name, called: !!call, args: call?.arguments.length ?? 0, range: rangeOf(sf, d) });
  }
  return uses;
}

/** `@catchError({ var: 'failure' })` stores the exception in an artifact: an assignment of the step. */
export function catchErrorAssignments(sf: ts.SourceFile, m: ts.MethodDeclaration): ArtifactAccess[] {
  const assignments: ArtifactAccess[] = [];
  for (const d of decoratorsOf(m)) {
    if (decoratorName(d) !== 'catchError' || !ts.isCallExpression(d.expression)) continue;
    const opts = d.expression.arguments[0] && literalValue(d.expression.arguments[0]);
    const v = opts && typeof opts === 'object' ? (opts as Record<string, unknown>).var : undefined;
    if (typeof v === 'string') assignments.push({ name: v, range: rangeOf(sf, d), offset: -1, shape: 'unknown' });
  }
  return assignments;
}
