// What reading a step body yields (BodyFacts) and what it needs to know of the flow (BodyContext),
// shared by body.ts and the reader of `this` accesses (thisAccess.ts).
import type { ts } from 'ts-morph';
import type { StepModel } from '../model/flowModel';

export interface BodyContext {
  sf: ts.SourceFile;
  /** Names that are not artifacts when read: steps, methods, constants, parameters. */
  kindOf(name: string): 'step' | 'method' | 'constant' | 'field' | 'parameter' | undefined;
}

/** What a step's body says, before it becomes the step's model (plus the call nodes, for ranges). */
export interface BodyFacts extends Pick<
  StepModel,
  'nextCalls' | 'controlFlow' | 'assignments' | 'readAccesses' | 'inputReads' | 'merges' | 'dynamic' | 'helpers'
> {
  nextNodes: ts.CallExpression[];
  /** The body nests too deeply for the path checks (`missing-transition`, `this.next` twice): skipped. */
  tooDeep?: boolean;
}
