// PromptUi over VS Code's QuickPick and InputBox.
import * as vscode from 'vscode';
import type { InputOptions, PickItem, PromptUi } from './prompts';

type Item<T> = vscode.QuickPickItem & { value: T };

export const vscodePromptUi: PromptUi = {
  async pick<T>(items: PickItem<T>[], o: { title: string; placeholder?: string }) {
    const picked = await vscode.window.showQuickPick<Item<T>>(items.map(toItem), { title: o.title, placeHolder: o.placeholder, ignoreFocusOut: true, matchOnDescription: true });
    return picked?.value;
  },
  async pickMany<T>(items: PickItem<T>[], o: { title: string; placeholder?: string }) {
    const picked = await vscode.window.showQuickPick<Item<T>>(items.map(toItem), { title: o.title, placeHolder: o.placeholder, ignoreFocusOut: true, canPickMany: true, matchOnDetail: true });
    return picked?.map((p) => p.value);
  },
  input(o: InputOptions) {
    return Promise.resolve(vscode.window.showInputBox({
      title: o.title, prompt: o.prompt, value: o.value, placeHolder: o.placeholder, ignoreFocusOut: true,
      validateInput: (text) => o.validate(text) ?? null,
    }));
  },
};

function toItem<T>(i: PickItem<T>): Item<T> {
  return { label: i.label, description: i.description, detail: i.detail, picked: i.picked, value: i.value };
}
