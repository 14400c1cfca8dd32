// PromptUi over VS Code's QuickPick and InputBox.
import * as vscode from 'vscode';
import type { InputOptions, PickItem, PromptUi } from './prompts';

type Item<T> = vscode.QuickPickItem & { value: T };

export const vscodePromptUi: PromptUi = {
  async pick<T>(items: PickItem<T>[], o: { title: string; placeholder?: string }) {
    const picked = await vscode.window.showQuickPick<Item<T>>(items.map(toItem), {
      title: o.title,
      placeHolder: o.placeholder,
      ignoreFocusOut: true,
      matchOnDescription: true,
    });
    return picked?.value;
  },
  async pickMany<T>(items: PickItem<T>[], o: { title: string; placeholder?: string }) {
    const picked = await vscode.window.showQuickPick<Item<T>>(items.map(toItem), {
      title: o.title,
      placeHolder: o.placeholder,
      ignoreFocusOut: true,
      canPickMany: true,
      matchOnDetail: true,
    });
    return picked?.map((p) => p.value);
  },
  input(o: InputOptions) {
    if (!o.buttons?.length) {
      return Promise.resolve(
        vscode.window.showInputBox({
          title: o.title,
          prompt: o.prompt,
          value: o.value,
          placeHolder: o.placeholder,
          ignoreFocusOut: true,
          validateInput: (text) => o.validate(text) ?? null,
        }),
      );
    }
    // showInputBox has no buttons: the same box, built by hand.
    return new Promise((resolve) => {
      const box = vscode.window.createInputBox();
      Object.assign(box, { title: o.title, prompt: o.prompt, value: o.value, placeholder: o.placeholder, ignoreFocusOut: true });
      const buttons = o.buttons!.map((b) => ({ iconPath: new vscode.ThemeIcon(b.icon), tooltip: b.tooltip, id: b.id }));
      box.buttons = buttons;
      box.validationMessage = o.validate(o.value);
      let answer: string | { button: string } | undefined;
      const subs = [
        box.onDidChangeValue((text) => {
          box.validationMessage = o.validate(text);
        }),
        box.onDidAccept(() => {
          if (o.validate(box.value)) return;
          answer = box.value;
          box.hide();
        }),
        box.onDidTriggerButton((b) => {
          answer = { button: (b as (typeof buttons)[number]).id };
          box.hide();
        }),
        box.onDidHide(() => {
          subs.forEach((s) => s.dispose());
          box.dispose();
          resolve(answer);
        }),
      ];
      box.show();
    });
  },
};

function toItem<T>(i: PickItem<T>): Item<T> {
  return { label: i.label, description: i.description, detail: i.detail, picked: i.picked, value: i.value };
}
