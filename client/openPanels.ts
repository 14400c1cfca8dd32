// The open panels of one kind (graph previews, card tabs), by what each shows: opening what is
// open reveals its panel, and a panel the user closes is forgotten.
import type * as vscode from 'vscode';

export class OpenPanels<P extends vscode.Disposable & { reveal(): void }> implements vscode.Disposable {
  private readonly panels = new Map<string, P>();

  /** The panel open for `key`; undefined when there is none. */
  get(key: string): P | undefined {
    return this.panels.get(key);
  }

  /** The panel open for `key`, revealed; undefined when there is none. */
  reveal(key: string): P | undefined {
    const panel = this.panels.get(key);
    panel?.reveal();
    return panel;
  }

  /** Keeps the panel `create` makes as the one for `key`; it calls `closed` when the user closes it. */
  add(key: string, create: (closed: () => void) => P): P {
    const panel = create(() => {
      if (this.panels.get(key) === panel) this.panels.delete(key);
    });
    this.panels.set(key, panel);
    return panel;
  }

  /** The panels open now (for tests and commands). */
  all(): P[] {
    return [...this.panels.values()];
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
  }
}
