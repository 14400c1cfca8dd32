// vscode-languageclient 11 exposes `vscode-languageclient/node` only through its package `exports`,
// which the repo's `moduleResolution: node` does not read; esbuild does. Point the types there.
declare module 'vscode-languageclient/node' {
  export * from 'vscode-languageclient/lib/node/main';
}
