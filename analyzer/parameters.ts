// Reads a parameter's declaration in a flow class: `x = Parameter('name', { type, default,
// required, help })` or `f = IncludeFile('name', { ... })`. Without an explicit `type`, a
// Parameter's type follows its literal default, as at run time.
import { ts } from 'ts-morph';
import type { ParameterModel } from '../model/flowModel';
import { TYPE_OF_CONSTRUCTOR, typeOfDefault } from '../model/parameters';
import { NOT_LITERAL, calleeName, literalValue, nameText, rangeOf, skipOuter } from './syntax';

type Declaration = ParameterModel['declaration'];

/** Is a field's initializer a `Parameter(...)` or `IncludeFile(...)` call? */
export function isParameterCall(init: ts.Expression): init is ts.CallExpression {
  return ts.isCallExpression(init) && ['Parameter', 'IncludeFile'].includes(calleeName(init) ?? '');
}

export function readParameter(sf: ts.SourceFile, field: string, decl: ts.PropertyDeclaration, call: ts.CallExpression): ParameterModel {
  const declaration = calleeName(call) as Declaration;
  const nameArg = call.arguments[0] && skipOuter(call.arguments[0]);
  const model: ParameterModel = {
    field,
    name: nameArg && ts.isStringLiteralLike(nameArg) ? nameArg.text : field,
    type: declaration === 'IncludeFile' ? 'file' : 'string',
    required: false,
    range: rangeOf(sf, decl),
    declaration,
    nameRange: rangeOf(sf, nameArg ?? decl.name),
  };
  const opts = call.arguments[1] && skipOuter(call.arguments[1]);
  let explicitType = false;
  if (opts && ts.isObjectLiteralExpression(opts)) {
    for (const p of opts.properties) {
      if (ts.isPropertyAssignment(p) && readOption(sf, model, nameText(p.name), skipOuter(p.initializer))) explicitType = true;
    }
  }
  if (declaration === 'Parameter' && !explicitType && model.defaultKind) model.type = typeOfDefault(model.defaultKind);
  return model;
}

/** Reads one option into the model; true when it was a `type` the model now takes its type from. */
function readOption(sf: ts.SourceFile, model: ParameterModel, key: string | undefined, value: ts.Expression): boolean {
  if (key === 'help') {
    const v = literalValue(value);
    if (typeof v === 'string') model.help = v;
  } else if (key === 'required') {
    model.required = value.kind === ts.SyntaxKind.TrueKeyword;
  } else if (key === 'default') {
    readDefault(sf, model, value);
  } else if (key === 'type' && model.declaration === 'Parameter') {
    return readType(sf, model, value);
  }
  return false;
}

function readDefault(sf: ts.SourceFile, model: ParameterModel, value: ts.Expression): void {
  model.defaultText = value.getText(sf);
  model.defaultRange = rangeOf(sf, value);
  const v = literalValue(value);
  if (v !== NOT_LITERAL) {
    model.default = v;
    model.defaultKind = v === null ? 'null' : typeof v;
  }
}

/** `type: Number` (or `fs.Number`-like access): true when the constructor names a parameter type. */
function readType(sf: ts.SourceFile, model: ParameterModel, value: ts.Expression): boolean {
  model.typeText = value.getText(sf);
  model.typeRange = rangeOf(sf, value);
  const constructor = ts.isIdentifier(value) ? value.text : ts.isPropertyAccessExpression(value) ? value.name.text : '';
  if (!TYPE_OF_CONSTRUCTOR[constructor]) return false;
  model.type = TYPE_OF_CONSTRUCTOR[constructor];
  return true;
}
