/** Drives the lab page the way a person would, and reads what it shows from the DOM and its canvases. */
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';

export const SCREENSHOT_DIR = 'test-results';

/** What a canvas shows: how much of it differs from its background, and how varied it is. */
export interface CanvasInk {
  width: number;
  height: number;
  /** Fraction of pixels that differ from the top-left pixel (the background). */
  inked: number;
  /** Distinct colours among the pixels (capped at 1000). */
  colours: number;
}

export interface LabPage {
  page: Page;
  /** Console lines and uncaught errors from the page and its workers, for failure messages. */
  log: string[];
  text(testId: string): Promise<string>;
  number(testId: string): Promise<number>;
  /** Waits until the workers have chosen a backend and loaded MNIST (the page names the backend). */
  ready(timeoutMs?: number): Promise<void>;
  /** Waits until the page's run phase matches, failing early with the page's error if it shows one. */
  phase(pattern: RegExp, timeoutMs: number): Promise<void>;
  canvasInk(testId: string): Promise<CanvasInk>;
  /** The canvas's pixels as a data URL, to compare two images. */
  canvasPixels(testId: string): Promise<string>;
  /** Screenshot of one element (a panel, a view) or, without a test id, of the whole page. */
  screenshot(name: string, testId?: string): Promise<string>;
  close(): Promise<void>;
}

export async function openLab(browser: Browser, baseUrl: string, query: string): Promise<LabPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const log: string[] = [];
  page.on('console', (message) => log.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => log.push(`[pageerror] ${error.message}`));
  page.on('worker', (worker) => log.push(`[worker] ${worker.url()}`));
  await page.goto(`${baseUrl}?${query}`);

  const text = (testId: string) => page.getByTestId(testId).first().innerText();
  const explain = async (what: string) => `${what}: ${await errorText(page)}\n${log.join('\n')}`;
  return {
    page,
    log,
    text,
    number: async (testId) => Number(await text(testId)),
    async ready(timeoutMs = 60_000) {
      await page
        .getByTestId('backend-name')
        .waitFor({ timeout: timeoutMs })
        .catch(async (e) => {
          throw new Error(await explain('the page never became ready'), { cause: e });
        });
    },
    async phase(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const phase = await text('phase').catch(() => '');
        if (pattern.test(phase)) return;
        if (/error/.test(phase)) throw new Error(await explain(`the run failed (phase "${phase}")`));
        if (Date.now() > deadline) throw new Error(await explain(`phase "${phase}" never matched ${pattern}`));
        await page.waitForTimeout(200);
      }
    },
    canvasInk: (testId) =>
      page.getByTestId(testId).first().evaluate((canvas: HTMLCanvasElement) => {
        const ctx = canvas.getContext('2d');
        if (!ctx || canvas.width === 0 || canvas.height === 0) return { width: canvas.width, height: canvas.height, inked: 0, colours: 0 };
        const words = new Uint32Array(ctx.getImageData(0, 0, canvas.width, canvas.height).data.buffer);
        const colours = new Set<number>();
        let inked = 0;
        for (const word of words) {
          if (word !== words[0]) inked++;
          if (colours.size < 1000) colours.add(word);
        }
        return { width: canvas.width, height: canvas.height, inked: inked / words.length, colours: colours.size };
      }),
    canvasPixels: (testId) => page.getByTestId(testId).first().evaluate((canvas: HTMLCanvasElement) => canvas.toDataURL()),
    async screenshot(name, testId) {
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      const path = `${SCREENSHOT_DIR}/${name}.png`;
      if (testId) await page.getByTestId(testId).first().screenshot({ path });
      else await page.screenshot({ path, fullPage: true });
      return path;
    },
    close: () => page.close(),
  };
}

async function errorText(page: Page): Promise<string> {
  const errors = page.getByTestId('error');
  return (await errors.count()) > 0 ? (await errors.allInnerTexts()).join('; ') : '(no error shown)';
}
