// The extension side of a webview panel (the graph preview, a card tab): the panel with scripts
// allowed only from its bundle's folder, the FlowSpec icon, its page, and the page's handshake —
// messages are posted only once the page's script says `ready` (one posted before would be lost).
// Runs on the extension host (it imports vscode, never a page script).
import * as vscode from 'vscode';

export interface WebviewPanelSpec {
  viewType: string;
  title: string;
  column: vscode.ViewColumn | { viewColumn: vscode.ViewColumn; preserveFocus?: boolean };
  /** The folder of the page's script inside the extension (the only local resources it may load), and the script. */
  scriptFolder: string[];
  script: string;
  /** The page, given the script's webview URI. */
  html: (webview: vscode.Webview, scriptUri: vscode.Uri) => string;
}

export interface WebviewPanelHandlers<FromPage> {
  /** The page listens now: post what it should show. */
  onReady: () => void;
  /** Any other message from the page. */
  onMessage?: (message: FromPage) => void;
  /** The user closed the panel. */
  onDispose: () => void;
}

export class WebviewPanelHost<FromPage extends { type: string }> implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(context: vscode.ExtensionContext, spec: WebviewPanelSpec, handlers: WebviewPanelHandlers<FromPage>) {
    const scriptRoot = vscode.Uri.joinPath(context.extensionUri, ...spec.scriptFolder);
    this.panel = vscode.window.createWebviewPanel(spec.viewType, spec.title, spec.column, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [scriptRoot],
    });
    this.panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'client', 'media', 'graph.svg');
    this.panel.webview.html = spec.html(this.panel.webview, this.panel.webview.asWebviewUri(vscode.Uri.joinPath(scriptRoot, spec.script)));
    this.disposables.push(
      this.panel.onDidDispose(() => handlers.onDispose()),
      this.panel.webview.onDidReceiveMessage((m: FromPage) => {
        if (m?.type !== 'ready') return handlers.onMessage?.(m);
        this.ready = true;
        handlers.onReady();
      }),
    );
  }

  /** Sends a message to the page once it is ready (dropped before: onReady sends the current state). */
  post(message: unknown): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
    this.disposables.length = 0;
    this.panel.dispose();
  }
}
