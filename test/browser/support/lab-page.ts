/** Drives the lab page the way a person would, and reads what it shows from the DOM. */
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';

export const SCREENSHOT_DIR = 'test-results';

export interface LabPage {
  page: Page;
  /** Console lines and uncaught errors from the page and its workers, for failure messages. */
  log: string[];
  text(testId: string): Promise<string>;
  number(testId: string): Promise<number>;
  /** Waits until the page has chosen its backend and loaded MNIST. */
  ready(): Promise<void>;
  /** Clicks Train and waits for the run to finish. */
  trainToEnd(timeoutMs: number): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openLab(browser: Browser, baseUrl: string, query: string): Promise<LabPage> {
  const page = await browser.newPage({ viewport: { width: 900, height: 820 } });
  const log: string[] = [];
  page.on('console', (message) => log.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => log.push(`[pageerror] ${error.message}`));
  page.on('worker', (worker) => log.push(`[worker] ${worker.url()}`));
  await page.goto(`${baseUrl}?${query}`);

  const text = (testId: string) => page.getByTestId(testId).innerText();
  const lab: LabPage = {
    page,
    log,
    text,
    number: async (testId) => Number(await text(testId)),
    async ready() {
      await page.getByTestId('train').and(page.locator(':enabled')).waitFor({ timeout: 60_000 }).catch(async (e) => {
        throw new Error(`page never became ready: ${await errorText(page)}\n${log.join('\n')}`, { cause: e });
      });
    },
    async trainToEnd(timeoutMs) {
      await page.getByTestId('train').click();
      await page
        .waitForFunction(() => ['done', 'stopped', 'error'].includes(document.querySelector('[data-testid=phase]')?.textContent ?? ''), null, { timeout: timeoutMs })
        .catch(async (e) => {
          throw new Error(`training did not finish: phase ${await text('phase')}, step ${await text('step')}\n${log.join('\n')}`, { cause: e });
        });
      const phase = await text('phase');
      if (phase !== 'done') throw new Error(`training ended in phase "${phase}": ${await errorText(page)}\n${log.join('\n')}`);
    },
    async screenshot(name) {
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      const path = `${SCREENSHOT_DIR}/${name}.png`;
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    close: () => page.close(),
  };
  return lab;
}

async function errorText(page: Page): Promise<string> {
  const error = page.getByTestId('error');
  return (await error.count()) > 0 ? await error.innerText() : '(no error shown)';
}
