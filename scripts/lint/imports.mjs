// A local ESLint plugin whose rule `flowspec/imports` checks every import of a file against zones
// (eslint.config.mjs: the layers of docs/architecture.md and the extension host's datastore rule).
// Each specifier is resolved before it is checked, whatever its form: `import`, `export ... from`,
// `import x = require()`, `require()`, `import()`, `typeof import()`, and any relative path
// (`./../x`, `../runtime/../analyzer`); the package's own name (`flowspec`, `flowspec/client`, aliases
// of tsconfig.json's paths) is refused inside the source. A specifier that is not a literal cannot be
// resolved, so it is refused too (a builtin loaded by name disables the rule on its line, saying why).
import { dirname, isAbsolute, relative, resolve } from 'node:path';

/**
 * @typedef {{ files: string[], except?: string[], folders?: string[], foldersExcept?: string[], packages?: string[], allowTypes?: boolean, message: string }} Zone
 * `files`: the importing files' folders or files (relative to `root`), minus `except`; `folders`:
 * folders or modules they must not import (minus `foldersExcept`); `packages`: npm packages they
 * must not import; `allowTypes`: type-only imports pass.
 */

/** `a/b` is under `a` and under `a/b`, not under `a/bc`. */
const under = (path, prefix) => path === prefix || path.startsWith(prefix + '/');

/** The npm package a bare specifier names: `@scope/name` or `name`. */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports, in every form, respect the layers and zones of eslint.config.mjs' },
    schema: [
      {
        type: 'object',
        properties: { root: { type: 'string' }, ownPackage: { type: 'string' }, zones: { type: 'array' } },
        required: ['root', 'ownPackage', 'zones'],
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    const { root, ownPackage, zones } = context.options[0];
    const file = relative(root, context.filename).split('\\').join('/');
    /** @type {Zone[]} */
    const mine = zones.filter((z) => z.files.some((f) => under(file, f)) && !(z.except ?? []).some((f) => under(file, f)));
    if (file.startsWith('..')) return {};
    const sourceFile = mine.length > 0;

    function check(node, source, typeOnly) {
      if (source.type === 'TemplateLiteral' && source.expressions.length === 0)
        return checkSpecifier(node, source.quasis[0].value.cooked, typeOnly);
      if (source.type !== 'Literal' || typeof source.value !== 'string') {
        if (sourceFile)
          context.report({
            node,
            message: 'an import whose specifier is not a string literal cannot be checked against the layers (docs/architecture.md)',
          });
        return;
      }
      checkSpecifier(node, source.value, typeOnly);
    }

    function checkSpecifier(node, specifier, typeOnly) {
      if (specifier.startsWith('node:')) return;
      const relativeOrAbsolute = specifier.startsWith('.') || isAbsolute(specifier);
      if (!relativeOrAbsolute && sourceFile && (specifier === ownPackage || specifier.startsWith(ownPackage + '/'))) {
        context.report({
          node,
          message: `'${specifier}' is this package's own name: inside the source, import the module by its relative path (the package's name resolves through tsconfig's paths, around the layers)`,
        });
        return;
      }
      const target = relativeOrAbsolute
        ? relative(root, resolve(dirname(context.filename), specifier))
            .split('\\')
            .join('/')
        : undefined;
      for (const zone of mine) {
        if (typeOnly && zone.allowTypes) continue;
        const hit = target
          ? (zone.folders ?? []).some((f) => under(target, f)) && !(zone.foldersExcept ?? []).some((f) => under(target, f))
          : (zone.packages ?? []).includes(packageOf(specifier));
        if (hit)
          context.report({ node, message: `'${specifier}'${target && target !== specifier ? ` (${target})` : ''}: ${zone.message}` });
      }
    }

    const isRequire = (callee) =>
      (callee.type === 'Identifier' && callee.name === 'require') ||
      (callee.type === 'MemberExpression' &&
        callee.object.type === 'Identifier' &&
        callee.object.name === 'require' &&
        callee.property.name === 'resolve');

    return {
      ImportDeclaration: (node) =>
        check(
          node,
          node.source,
          node.importKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type')),
        ),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node, node.source, node.exportKind === 'type'),
      ImportExpression: (node) => check(node, node.source, false),
      TSImportEqualsDeclaration: (node) =>
        node.moduleReference.type === 'TSExternalModuleReference' &&
        check(node, node.moduleReference.expression, node.importKind === 'type'),
      TSImportType: (node) => check(node, node.argument.type === 'TSLiteralType' ? node.argument.literal : node.argument, true),
      CallExpression: (node) => {
        if (isRequire(node.callee) && node.arguments.length > 0) check(node, node.arguments[0], false);
      },
    };
  },
};

export default { meta: { name: 'flowspec' }, rules: { imports: rule } };
