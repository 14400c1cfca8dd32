// Opens a page in headless Chromium with no network, and reports what it drew and what it asked for.
import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface RenderedPage {
  requests: string[];
  /** Requests to anything but file: and data: URLs. */
  remoteRequests: string[];
  errors: string[];
  charts: number;
  tables: number;
  text: string;
}

/** Each page as drawn, in one browser; undefined when this machine has no Chromium. The first page's screenshot goes to `screenshot`. */
export async function renderOffline(urls: string[], screenshot?: string): Promise<RenderedPage[] | undefined> {
  if (!existsSync(CHROMIUM)) return undefined;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const pages: RenderedPage[] = [];
    for (const [i, url] of urls.entries()) pages.push(await render(browser, url, i === 0 ? screenshot : undefined));
    return pages;
  } finally {
    await browser.close();
  }
}

async function render(browser: Browser, url: string, screenshot: string | undefined): Promise<RenderedPage> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  await page.waitForSelector('.fs-vega svg, .fs-title', { timeout: 20_000 });
  await page.waitForFunction(
    () => document.querySelectorAll('.fs-vega').length === document.querySelectorAll('.fs-vega svg').length,
    undefined,
    { timeout: 20_000 },
  );
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  const drawn = await page.evaluate(() => ({
    charts: document.querySelectorAll('.fs-vega svg').length,
    tables: document.querySelectorAll('table').length,
    text: document.body.innerText,
  }));
  await page.close();
  return { requests, remoteRequests: requests.filter((r) => !/^(file|data):/.test(r)), errors, ...drawn };
}
