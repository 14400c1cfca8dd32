// Paths through a step body: does every path call `this.next` exactly once, as its last act?
// States are bit sets of "how many `this.next` calls happened so far on this path": 0, 1, 2+.
import { ts } from 'ts-morph';
import type { Range, StepControlFlow } from '../model/flowModel';
import { rangeOf } from './syntax';

const C0 = 1,
  C1 = 2,
  C2 = 4;
const AFTER = C1 | C2;

interface Out {
  out: number;
  ret: number;
  brk: number;
  cont: number;
}
const NONE: Out = { out: 0, ret: 0, brk: 0, cont: 0 };

function bump(mask: number): number {
  let r = 0;
  if (mask & C0) r |= C1;
  if (mask & (C1 | C2)) r |= C2;
  return r;
}

function union(a: Out, b: Out): Out {
  return { out: a.out | b.out, ret: a.ret | b.ret, brk: a.brk | b.brk, cont: a.cont | b.cont };
}

export function analyzeControlFlow(sf: ts.SourceFile, body: ts.Block, nextNodes: ts.CallExpression[]): StepControlFlow {
  const paths = new NextCallPaths(sf, nextNodes);
  const r = paths.seq(body.statements, C0, false);
  const end = r.out | r.ret;
  return {
    pathWithoutNext: (end & C0) !== 0,
    nextTwice: [...paths.twice.values()],
    afterNext: [...paths.after.values()],
  };
}

/**
 * Follows the statements of one body with the set of `this.next` counts that reach each one.
 * `quiet` walks (code in `finally`) compute states without reporting.
 */
class NextCallPaths {
  /** `this.next` calls that may run a second time on a path, by position. */
  readonly twice = new Map<number, Range>();
  /** Statements that may run after `this.next`, by position. */
  readonly after = new Map<number, Range>();

  constructor(
    private readonly sf: ts.SourceFile,
    private readonly nextNodes: ts.CallExpression[],
  ) {}

  seq(stmts: readonly ts.Statement[], mask: number, quiet: boolean): Out {
    let acc: Out = { ...NONE, out: mask };
    for (const s of stmts) {
      if (!acc.out) break;
      const r = this.stmt(s, acc.out, quiet);
      acc = { out: r.out, ret: acc.ret | r.ret, brk: acc.brk | r.brk, cont: acc.cont | r.cont };
    }
    return acc;
  }

  // `this.next` calls inside a node (nested arrow functions included, other functions not:
  // nextNodes only holds calls on the flow's `this`).
  private nextsIn(node: ts.Node): ts.CallExpression[] {
    const start = node.getStart(this.sf),
      end = node.getEnd();
    return this.nextNodes.filter((c) => c.getStart(this.sf) >= start && c.getEnd() <= end);
  }

  /** An expression or a statement without inner statements. */
  private simple(node: ts.Node, mask: number, quiet: boolean): number {
    const calls = this.nextsIn(node);
    if (calls.length === 0) return mask;
    if (mask & AFTER && !quiet) {
      const c = calls[0];
      this.twice.set(c.getStart(this.sf), rangeOf(this.sf, c));
    }
    // Several calls in one statement (`c ? this.next(a) : this.next(b)`) count as one.
    return bump(mask);
  }

  private noteAfter(stmt: ts.Statement, mask: number, quiet: boolean): void {
    if (quiet || !(mask & AFTER)) return;
    if (this.nextsIn(stmt).length > 0) return; // reported as "called twice" instead
    this.after.set(stmt.getStart(this.sf), rangeOf(this.sf, stmt));
  }

  private stmt(s: ts.Statement, mask: number, quiet: boolean): Out {
    if (!mask) return NONE;
    switch (s.kind) {
      case ts.SyntaxKind.Block:
        return this.seq((s as ts.Block).statements, mask, quiet);
      case ts.SyntaxKind.EmptyStatement:
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.InterfaceDeclaration:
      case ts.SyntaxKind.TypeAliasDeclaration:
      case ts.SyntaxKind.EnumDeclaration:
        return { ...NONE, out: mask };
      case ts.SyntaxKind.ReturnStatement: {
        const r = s as ts.ReturnStatement;
        return { ...NONE, ret: r.expression ? this.simple(r.expression, mask, quiet) : mask };
      }
      case ts.SyntaxKind.ThrowStatement:
        this.noteAfter(s, mask, quiet);
        return NONE;
      case ts.SyntaxKind.BreakStatement:
        return { ...NONE, brk: mask };
      case ts.SyntaxKind.ContinueStatement:
        return { ...NONE, cont: mask };
      case ts.SyntaxKind.IfStatement: {
        const i = s as ts.IfStatement;
        const cond = this.simple(i.expression, mask, quiet);
        const a = this.stmt(i.thenStatement, cond, quiet);
        const b = i.elseStatement ? this.stmt(i.elseStatement, cond, quiet) : { ...NONE, out: cond };
        return union(a, b);
      }
      case ts.SyntaxKind.SwitchStatement:
        return this.switchStatement(s as ts.SwitchStatement, mask, quiet);
      case ts.SyntaxKind.WhileStatement: {
        const w = s as ts.WhileStatement;
        return this.loop(w, mask, quiet, w.expression.kind === ts.SyntaxKind.TrueKeyword, false);
      }
      case ts.SyntaxKind.DoStatement: {
        const d = s as ts.DoStatement;
        return this.loop(d, mask, quiet, d.expression.kind === ts.SyntaxKind.TrueKeyword, true);
      }
      case ts.SyntaxKind.ForStatement: {
        const f = s as ts.ForStatement;
        return this.loop(f, mask, quiet, !f.condition || f.condition.kind === ts.SyntaxKind.TrueKeyword, false);
      }
      case ts.SyntaxKind.ForOfStatement:
      case ts.SyntaxKind.ForInStatement: {
        const f = s as ts.ForOfStatement;
        return this.loop(f, this.simple(f.expression, mask, quiet), quiet, false, false);
      }
      case ts.SyntaxKind.LabeledStatement: {
        const r = this.stmt((s as ts.LabeledStatement).statement, mask, quiet);
        return { ...r, out: r.out | r.brk, brk: 0 };
      }
      case ts.SyntaxKind.TryStatement:
        return this.tryStatement(s as ts.TryStatement, mask, quiet);
      default: {
        this.noteAfter(s, mask, quiet);
        return { ...NONE, out: this.simple(s, mask, quiet) };
      }
    }
  }

  /** Runs the body until the states stop changing (at most 4 rounds: 3 states). */
  private loop(node: ts.IterationStatement, mask: number, quiet: boolean, alwaysTrue: boolean, atLeastOnce: boolean): Out {
    let entry = mask;
    let last: Out = NONE;
    let exits = 0;
    for (let i = 0; i < 4; i++) {
      last = this.stmt(node.statement, entry, quiet);
      exits |= last.brk;
      const next = entry | last.out | last.cont;
      if (next === entry && i > 0) break;
      entry = next;
    }
    const again = last.out | last.cont;
    let out = exits;
    if (!alwaysTrue) out |= atLeastOnce ? again : entry;
    return { out, ret: last.ret, brk: 0, cont: 0 };
  }

  private switchStatement(sw: ts.SwitchStatement, mask: number, quiet: boolean): Out {
    const entry = this.simple(sw.expression, mask, quiet);
    let acc: Out = NONE;
    let fall = 0;
    let hasDefault = false;
    for (const clause of sw.caseBlock.clauses) {
      if (ts.isDefaultClause(clause)) hasDefault = true;
      const r = this.seq(clause.statements, entry | fall, quiet);
      acc = { out: acc.out | r.brk, ret: acc.ret | r.ret, brk: 0, cont: acc.cont | r.cont };
      fall = r.out;
    }
    acc.out |= fall;
    if (!hasDefault) acc.out |= entry;
    return acc;
  }

  private tryStatement(t: ts.TryStatement, mask: number, quiet: boolean): Out {
    const a = this.seq(t.tryBlock.statements, mask, quiet);
    // A catch runs when something before the `this.next` call threw: it starts from `mask`.
    const b = t.catchClause ? this.seq(t.catchClause.block.statements, mask, quiet) : NONE;
    let r = union(a, b);
    if (t.finallyBlock) {
      // Code in `finally` is cleanup; it may follow `this.next` without complaint.
      const f = this.seq(t.finallyBlock.statements, r.out | r.ret, true);
      if (this.nextsIn(t.finallyBlock).length > 0) {
        const fo = this.seq(t.finallyBlock.statements, r.out, quiet).out;
        const fr = this.seq(t.finallyBlock.statements, r.ret, quiet).out;
        r = { out: fo, ret: fr | f.ret, brk: r.brk, cont: r.cont };
      }
    }
    return r;
  }
}
