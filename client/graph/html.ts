// The graph webview's page: a strict Content-Security-Policy (nothing but our nonce'd script and
// style; no remote content), themed entirely with VS Code's CSS variables.
import type * as vscode from 'vscode';
import { webviewPage } from '../webviewPage';

export function graphHtml(webview: vscode.Webview, scriptUri: vscode.Uri): string {
  return webviewPage({
    webview,
    title: 'Flow graph',
    styles: CSS,
    imageSources: [webview.cspSource, 'data:'],
    body: BODY,
    scripts: [scriptUri],
  });
}

const BODY = `<header id="bar">
  <span id="title" class="title"></span><span id="file" class="file"></span>
  <span id="run" class="run"></span>
  <span class="spacer"></span>
  <button id="runFlow" title="Run this flow">▶ Run</button>
  <button id="direction" title="Top-down / left-right">⇄</button>
  <button id="zoomOut" title="Zoom out">−</button><span id="zoom" class="zoom">100%</span><button id="zoomIn" title="Zoom in">+</button>
  <button id="fit" title="Fit the graph in the panel">Fit</button>
</header>
<div id="problems" class="problems"></div>
<div id="canvas" class="canvas">
  <div id="empty" class="empty" hidden>No steps yet: add a method decorated with @step.</div>
  <svg id="svg" role="img" aria-label="flow graph">
    <defs>
      <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
        <path d="M0,0 L10,5 L0,10 z" class="arrow"></path>
      </marker>
    </defs>
    <g id="viewport"></g>
  </svg>
</div>
<footer class="legend">
  <span class="dot success"></span>succeeded <span class="dot failed"></span>failed
  <span class="dot running"></span>running <span class="dot pending"></span>not run
  <span class="hint">click a step to open it · drag or scroll to move · Ctrl+wheel to zoom</span>
</footer>`;

const CSS = `
:root { --ok: var(--vscode-testing-iconPassed, #73c991); --bad: var(--vscode-testing-iconFailed, #f14c4c);
  --busy: var(--vscode-charts-blue, #3794ff); --idle: var(--vscode-disabledForeground, #888);
  --err: var(--vscode-editorError-foreground, #f14c4c); --warn: var(--vscode-editorWarning-foreground, #cca700); }
html, body { height: 100%; margin: 0; padding: 0; overflow: hidden; }
body { display: flex; flex-direction: column; color: var(--vscode-foreground); background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
header { white-space: nowrap; display: flex; align-items: center; gap: 6px; padding: 6px 10px; border-bottom: 1px solid var(--vscode-panel-border, transparent); }
.title { font-weight: 600; font-size: 1.1em; }
.file { overflow: hidden; text-overflow: ellipsis; }
.file { color: var(--vscode-descriptionForeground); }
.run { white-space: nowrap; margin-left: 10px; padding: 1px 8px; border-radius: 10px; background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); font-size: 0.9em; }
.run-success { background: var(--ok); color: var(--vscode-editor-background); }
.run-failed, .run-killed { background: var(--bad); color: var(--vscode-editor-background); }
.run-running { background: var(--busy); color: var(--vscode-editor-background); }
.spacer { flex: 1; }
.zoom { min-width: 3.2em; text-align: center; color: var(--vscode-descriptionForeground); font-variant-numeric: tabular-nums; }
button { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground);
  border: 1px solid var(--vscode-button-border, transparent); border-radius: 2px; padding: 2px 8px; cursor: pointer; font: inherit; }
button:hover { background: var(--vscode-button-secondaryHoverBackground); }
button:focus-visible, .node:focus-visible, .problem:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
#runFlow { color: var(--vscode-button-foreground); background: var(--vscode-button-background); }
#runFlow:hover { background: var(--vscode-button-hoverBackground); }
.problems { max-height: 25vh; overflow: auto; }
.problem { display: flex; gap: 8px; padding: 3px 10px; cursor: pointer; align-items: baseline; }
.problem:hover { background: var(--vscode-list-hoverBackground); }
.problem .icon { flex: none; width: 15px; height: 15px; border-radius: 50%; font-size: 11px; font-weight: 700; line-height: 15px; text-align: center;
  color: var(--vscode-editor-background); background: var(--vscode-editorInfo-foreground, #3794ff); align-self: center; }
.problem .icon.error { background: var(--err); } .problem .icon.warning { background: var(--warn); }
.problem .where { color: var(--vscode-descriptionForeground); font-size: 0.9em; margin-left: auto; white-space: nowrap; }
.stale-note { color: var(--vscode-descriptionForeground); font-style: italic; cursor: default; }
.canvas { position: relative; flex: 1; min-height: 0; }
.empty[hidden] { display: none; }
.empty { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; color: var(--vscode-descriptionForeground); }
svg { width: 100%; height: 100%; display: block; cursor: grab; user-select: none; }
svg.panning { cursor: grabbing; }
body.stale svg { opacity: 0.45; }
.edge path { fill: none; stroke: var(--vscode-editorLineNumber-foreground, #888); stroke-width: 1.5; }
.edge.kind-foreach path { stroke-dasharray: 6 3; stroke: var(--vscode-charts-purple, #b180d7); }
.edge.kind-switch path { stroke-dasharray: 2 3; stroke: var(--vscode-charts-orange, #d18616); }
.arrow { fill: var(--vscode-editorLineNumber-foreground, #888); }
.edge-label { font-size: 11px; fill: var(--vscode-descriptionForeground); paint-order: stroke; stroke: var(--vscode-editor-background); stroke-width: 4px; }
.node { cursor: pointer; }
.node .box { fill: var(--vscode-editorWidget-background, var(--vscode-editor-background)); stroke: var(--vscode-editorWidget-border, var(--vscode-contrastBorder, #555)); stroke-width: 1.2; }
.node:hover .box { stroke: var(--vscode-focusBorder); }
.node .stripe { fill: transparent; }
.node.kind-start .box, .node.kind-end .box { stroke-width: 2; }
.node .label { font-weight: 600; font-size: 13px; fill: var(--vscode-foreground); }
.node .detail { font-size: 11px; fill: var(--vscode-descriptionForeground); }
.node.status-success .stripe { fill: var(--ok); } .node.status-success .box { stroke: var(--ok); }
.node.status-failed .stripe { fill: var(--bad); } .node.status-failed .box { stroke: var(--bad); stroke-width: 2; }
.node.status-running .stripe { fill: var(--busy); } .node.status-running .box { stroke: var(--busy); stroke-dasharray: 4 2; }
.node.status-pending .stripe, .node.status-skipped .stripe { fill: var(--idle); }
.node.has-error .box { stroke: var(--err); stroke-width: 2; stroke-dasharray: none; }
.node.has-warning .box { stroke: var(--warn); stroke-width: 2; }
.badge circle { stroke: var(--vscode-editor-background); stroke-width: 2; }
.badge.error circle { fill: var(--err); } .badge.warning circle { fill: var(--warn); }
.badge text { font-size: 11px; font-weight: 700; fill: var(--vscode-editor-background); }
.node.spun .box { stroke: var(--vscode-charts-purple); stroke-width: 3; }
.spin-badge rect { fill: var(--vscode-charts-purple); stroke: var(--vscode-editor-background); }
.spin-badge.failed rect { fill: var(--bad); }
.spin-badge text { font-size: 10px; font-weight: 600; fill: var(--vscode-editor-background); }
.card-badge { cursor: pointer; }
.card-badge rect { fill: var(--vscode-badge-background); stroke: var(--vscode-editor-background); }
.card-badge text { font-size: 10px; font-weight: 600; fill: var(--vscode-badge-foreground); }
.card-badge:hover rect { fill: var(--vscode-button-background); }
.legend { white-space: nowrap; overflow: hidden; display: flex; gap: 6px; align-items: center; padding: 4px 10px; color: var(--vscode-descriptionForeground); font-size: 0.85em;
  border-top: 1px solid var(--vscode-panel-border, transparent); }
.legend .hint { margin-left: auto; overflow: hidden; text-overflow: ellipsis; }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-left: 6px; }
.dot.success { background: var(--ok); } .dot.failed { background: var(--bad); } .dot.running { background: var(--busy); } .dot.pending { background: var(--idle); }
`;
