// Opening a card page in the user's browser, when this machine has one.
import { spawn } from 'node:child_process';

/**
 * Opens a file with `$BROWSER`, else the platform's opener (`open`, `start`, `xdg-open` with a
 * display). Returns false when there is no way to open it (a server without a desktop).
 */
export function openInBrowser(file: string): boolean {
  const command = opener();
  if (!command) return false;
  const child = spawn(command[0], [...command.slice(1), file], { detached: true, stdio: 'ignore' });
  child.on('error', () => {
    /* reported by the path already printed */
  });
  child.unref();
  return true;
}

function opener(): string[] | undefined {
  const browser = process.env.BROWSER;
  if (browser !== undefined) return browser && browser !== 'none' ? [browser] : undefined;
  if (process.platform === 'darwin') return ['open'];
  if (process.platform === 'win32') return ['cmd', '/c', 'start', '""'];
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return ['xdg-open'];
  return undefined;
}
