// The card's look: VS Code's theme colours inside the editor's webview, light defaults elsewhere.
export const CARD_CSS = `
:root { color-scheme: light dark; }
body { margin: 0; padding: 16px 24px; color: var(--vscode-foreground, #1f2328); background: var(--vscode-editor-background, #ffffff);
  font-family: var(--vscode-font-family, system-ui, -apple-system, "Segoe UI", sans-serif); font-size: var(--vscode-font-size, 14px); line-height: 1.45; }
.fs-title { font-size: 1.3em; font-weight: 600; margin: 0 0 4px; }
.fs-status { color: var(--vscode-descriptionForeground, #59636e); margin: 0 0 16px; font-size: 0.9em; }
.fs-status .running { color: var(--vscode-charts-blue, #0969da); font-weight: 600; }
.fs-component { margin: 0 0 16px; max-width: 1100px; }
.fs-c-section > h2 { font-size: 1.1em; margin: 20px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--vscode-panel-border, #d1d9e0); }
.fs-c-section .fs-c-section > h2 { font-size: 1em; border-bottom: none; margin-top: 8px; }
.fs-c-markdown code, .fs-pre { font-family: var(--vscode-editor-font-family, ui-monospace, Menlo, monospace); font-size: 0.92em; }
.fs-c-markdown code { background: var(--vscode-textCodeBlock-background, #f0f2f4); padding: 1px 4px; border-radius: 3px; }
.fs-c-markdown pre code { display: block; padding: 8px; overflow: auto; }
.fs-c-markdown a { color: var(--vscode-textLink-foreground, #0969da); }
.fs-pre { white-space: pre-wrap; word-break: break-word; margin: 0; padding: 8px; background: var(--vscode-textCodeBlock-background, #f6f8fa); border-radius: 4px; max-height: 480px; overflow: auto; }
.fs-label { font-weight: 600; margin-bottom: 4px; }
table.fs-table { border-collapse: collapse; max-width: 100%; display: block; overflow: auto; }
.fs-table th, .fs-table td { border: 1px solid var(--vscode-panel-border, #d1d9e0); padding: 3px 8px; text-align: left; vertical-align: top; }
.fs-table th { background: var(--vscode-editorWidget-background, #f6f8fa); }
.fs-image { margin: 0; }
.fs-image img { max-width: 100%; height: auto; border: 1px solid var(--vscode-panel-border, #d1d9e0); }
.fs-image figcaption { color: var(--vscode-descriptionForeground, #59636e); font-size: 0.9em; }
.fs-vega { width: 100%; max-width: 800px; }
.fs-c-progress { display: flex; align-items: center; gap: 8px; }
.fs-c-progress progress { width: 320px; height: 14px; accent-color: var(--vscode-progressBar-background, #0969da); }
.fs-error { border-left: 4px solid var(--vscode-editorError-foreground, #d1242f); background: var(--vscode-inputValidation-errorBackground, #ffebe9); padding: 6px 10px; border-radius: 3px; }
.fs-error b { display: block; }
.fs-c-graph svg { max-width: 100%; }
.fs-c-graph rect { fill: var(--vscode-editorWidget-background, #f6f8fa); stroke: var(--vscode-panel-border, #8c959f); }
.fs-c-graph .here rect { fill: var(--vscode-charts-blue, #0969da); stroke: var(--vscode-charts-blue, #0969da); }
.fs-c-graph text { fill: currentColor; font-size: 12px; }
.fs-c-graph .here text { fill: #ffffff; font-weight: 600; }
.fs-c-graph line { stroke: var(--vscode-descriptionForeground, #8c959f); stroke-width: 1.2; }
`;
