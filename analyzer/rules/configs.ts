// Config rules: a `Config`'s default file that is not there or does not parse, and a
// `configExpr('cfg.key')` naming a config the flow does not declare or a key its default file lacks.
import type { FlowDiagnostic } from '../../model/flowModel';
import { configValueAtKeys, splitConfigPath } from '../../model/configPath';
import { configTextErrorLine } from '../../model/configText';
import { defaultConfigFile } from '../configFiles';
import { diag, names, Rule } from './context';

export const configDefaultFiles: Rule = (ctx) => {
  const out: FlowDiagnostic[] = [];
  if (ctx.file === undefined) return out;
  for (const config of ctx.flow.configs ?? []) {
    const found = defaultConfigFile(ctx.file, config);
    const range = config.defaultFileRange ?? config.range;
    if (found.state === 'missing')
      out.push(
        diag(
          ctx,
          'config-file-missing',
          'error',
          `config '${config.name}': no file '${config.defaultFile}' in the project root or next to the flow file, where a run looks for its default file`,
          range,
        ),
      );
    else if (found.state === 'invalid')
      out.push(
        diag(
          ctx,
          'config-file-invalid',
          'error',
          configTextErrorLine(`config '${config.name}' (${config.defaultFile})`, found.error),
          range,
        ),
      );
  }
  return out;
};

export const configExprPaths: Rule = (ctx) => {
  const out: FlowDiagnostic[] = [];
  const configs = ctx.flow.configs ?? [];
  for (const expr of ctx.flow.configExprs ?? []) {
    const { name, keys } = splitConfigPath(expr.path);
    const config = configs.find((c) => c.name === name);
    if (!config) {
      // A config whose name is computed may be this one.
      if (configs.some((c) => c.computedName)) continue;
      const declared = configs.length ? `configs: ${names(configs.map((c) => c.name))}` : 'it declares no Config';
      out.push(
        diag(ctx, 'unknown-config', 'error', `configExpr('${expr.path}'): the flow has no config '${name}' (${declared})`, expr.range),
      );
      continue;
    }
    if (ctx.file === undefined) continue;
    const found = defaultConfigFile(ctx.file, config);
    if (found.state !== 'parsed') continue;
    const at = configValueAtKeys(found.value, keys);
    if (!at.found)
      out.push(
        diag(
          ctx,
          'unknown-config-key',
          'warning',
          `configExpr('${expr.path}'): config '${name}' has no key '${at.missing}' in its default file ${config.defaultFile} (a run with that file fails)`,
          expr.range,
        ),
      );
  }
  return out;
};
