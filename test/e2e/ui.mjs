// What the in-VS Code tests can ask the browser side (run.mjs) to do: read the DOM, click,
// screenshot. Requests are plain JSON: { action, selector?, frame?, text?, name?, ... }.
//   frame: 'main' (the workbench, default) or 'webview' (every webview iframe, nested ones included;
//          the first frame where the selector matches wins).
//   query  → { count, texts }                     (never waits)
//   wait   → { count, texts } once count >= min   (polls until timeoutMs, then throws)
//   click  → clicks the first element matching selector (and text, when given)
//   screenshot → writes <shots>/<name>.png, of the page or of one element (selector)
//   key    → presses a key chord in the workbench
import { join } from 'node:path';

export class UiDriver {
  constructor({ shots, log }) {
    this.shots = shots;
    this.log = log;
    this.page = null;
  }

  async handle(req) {
    if (!this.page) throw new Error('browser not ready');
    switch (req.action) {
      case 'query':
        return this.query(req);
      case 'wait':
        return this.wait(req);
      case 'click':
        return this.click(req);
      case 'screenshot':
        return this.screenshot(req);
      case 'key':
        await this.page.keyboard.press(req.key);
        return true;
      case 'type':
        await this.page.keyboard.type(req.text, { delay: 20 });
        return true;
      case 'sidebarWidth':
        return this.sidebarWidth(req.width);
      default:
        throw new Error(`unknown action ${req.action}`);
    }
  }

  frames(kind) {
    if (kind !== 'webview') return [this.page.mainFrame()];
    return this.page.frames().filter((f) => f !== this.page.mainFrame());
  }

  async query({ selector, frame, text }) {
    for (const f of this.frames(frame)) {
      try {
        let loc = f.locator(selector);
        if (text) loc = loc.filter({ hasText: text });
        const count = await loc.count();
        if (!count) continue;
        // innerText for HTML; for SVG (no innerText) the <text> children joined by spaces.
        const texts = (
          await loc.evaluateAll((els) =>
            els.map((e) =>
              'innerText' in e
                ? e.innerText
                : Array.from(e.querySelectorAll('text'))
                    .map((t) => t.textContent)
                    .join(' ') ||
                  e.textContent ||
                  '',
            ),
          )
        ).map((t) => t.replace(/\s+/g, ' ').trim());
        // The classes of each element's descendants (e.g. Monaco's token colours, mtkN).
        const classes = await loc.evaluateAll((els) =>
          els.map((e) => [...new Set(Array.from(e.querySelectorAll('[class]')).map((c) => c.getAttribute('class')))]),
        );
        return { count, texts, classes };
      } catch {
        /* detached frame while the workbench re-renders: try the next */
      }
    }
    return { count: 0, texts: [] };
  }

  async wait(req) {
    const deadline = Date.now() + (req.timeoutMs ?? 20000);
    const min = req.min ?? 1;
    let last = { count: 0, texts: [] };
    while (Date.now() < deadline) {
      last = await this.query(req);
      if (last.count >= min && (!req.allText || last.texts.join('\n').includes(req.allText))) return last;
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(
      `timed out waiting for ${req.min ?? 1}× ${req.selector}${req.text ? ` with "${req.text}"` : ''} in ${req.frame ?? 'main'}; last: ${JSON.stringify(last).slice(0, 400)}`,
    );
  }

  async click(req) {
    const deadline = Date.now() + (req.timeoutMs ?? 10000);
    while (Date.now() < deadline) {
      for (const f of this.frames(req.frame)) {
        try {
          let loc = f.locator(req.selector);
          if (req.text) loc = loc.filter({ hasText: req.text });
          if (await loc.count()) {
            await loc.first().click({ timeout: 3000, ...(req.button ? { button: req.button } : {}) });
            return true;
          }
        } catch {
          /* retry */
        }
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`nothing to click: ${req.selector} ${req.text ?? ''}`);
  }

  /** Drags the sash right of the side bar until the side bar is `width` pixels wide. */
  async sidebarWidth(width) {
    const bar = await this.page.locator('.part.sidebar').first().boundingBox();
    if (!bar) throw new Error('no side bar');
    const x = bar.x + bar.width;
    const y = bar.y + bar.height / 2;
    await this.page.mouse.move(x - 1, y);
    await this.page.mouse.down();
    await this.page.mouse.move(bar.x + width, y, { steps: 8 });
    await this.page.mouse.up();
    return (await this.page.locator('.part.sidebar').first().boundingBox())?.width;
  }

  async screenshot({ name, selector }) {
    const path = join(this.shots, `${name}.png`);
    if (selector) await this.page.locator(selector).first().screenshot({ path });
    else await this.page.screenshot({ path });
    this.log('screenshot', path);
    return path;
  }
}
