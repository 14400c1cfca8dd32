// The keys a `configExpr('cfg.model.name')` names inside a config's value: the runtime resolves
// decorator options with it, the analyzer checks them against the default file and hover shows them.

/** A configExpr's path split into the config's name and its keys: 'cfg.model.name' → cfg, [model, name]. */
export function splitConfigPath(path: string): { name: string; keys: string[] } {
  const [name, ...keys] = path.split('.');
  return { name, keys };
}

/** The value the keys name inside a config's value, or the first prefix of them that is missing. */
export function configValueAtKeys(value: unknown, keys: string[]): { found: true; value: unknown } | { found: false; missing: string } {
  let at = value;
  for (const [i, key] of keys.entries()) {
    if (typeof at !== 'object' || at === null || !(key in at)) return { found: false, missing: keys.slice(0, i + 1).join('.') };
    at = (at as Record<string, unknown>)[key];
  }
  return { found: true, value: at };
}
