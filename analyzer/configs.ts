// Reads a flow class's configs: `cfg = Config('cfg', { default: 'config.json', parser: 'yaml' })`
// fields and the `configExpr('cfg.key')` calls written anywhere in the class. Syntax only; the
// config rules (rules/configs.ts) read the default files.
import { ts } from 'ts-morph';
import type { ConfigExprModel, ConfigModel } from '../model/flowModel';
import { calleeName, childrenOf, literalValue, nameText, rangeOf, skipOuter, walk } from './syntax';

/** Is a field's initializer a `Config(...)` call? */
export function isConfigCall(init: ts.Expression): init is ts.CallExpression {
  return ts.isCallExpression(init) && calleeName(init) === 'Config';
}

/** A Config field; one whose name is not a string literal is marked `computedName` (the rules then trust it). */
export function readConfig(sf: ts.SourceFile, field: string, decl: ts.PropertyDeclaration, call: ts.CallExpression): ConfigModel {
  const nameArg = call.arguments[0] && skipOuter(call.arguments[0]);
  const literal = nameArg !== undefined && ts.isStringLiteralLike(nameArg);
  const model: ConfigModel = {
    field,
    name: literal ? nameArg.text : (nameArg?.getText(sf) ?? ''),
    ...(literal ? {} : { computedName: true as const }),
    range: rangeOf(sf, decl),
    nameRange: rangeOf(sf, nameArg ?? decl),
    format: 'json',
  };
  const opts = call.arguments[1] && skipOuter(call.arguments[1]);
  if (!opts || !ts.isObjectLiteralExpression(opts)) return model;
  for (const p of opts.properties) {
    if (!ts.isPropertyAssignment(p)) continue;
    const key = nameText(p.name);
    const value = skipOuter(p.initializer);
    const literal = literalValue(value);
    if (key === 'default' && typeof literal === 'string') {
      model.defaultFile = literal;
      model.defaultFileRange = rangeOf(sf, value);
    } else if (key === 'parser') {
      model.format = literal === 'json' || literal === 'yaml' ? literal : 'custom';
    } else if (key === 'help' && typeof literal === 'string') {
      model.help = literal;
    }
  }
  return model;
}

/** Every `configExpr('...')` with a literal path in the class. */
export function readConfigExprs(sf: ts.SourceFile, node: ts.ClassLikeDeclaration): ConfigExprModel[] {
  const out: ConfigExprModel[] = [];
  walk(node, (n) => {
    if (ts.isCallExpression(n) && calleeName(n) === 'configExpr' && n.arguments[0]) {
      const arg = skipOuter(n.arguments[0]);
      if (ts.isStringLiteralLike(arg)) out.push({ path: arg.text, range: rangeOf(sf, arg) });
    }
    return childrenOf(n);
  });
  return out;
}
