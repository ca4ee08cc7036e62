/**
 * One built, served app and one Chromium per browser test file. The build comes from the global
 * setup when vitest.config.ts runs it (one build for all files), otherwise from this file's own.
 */
import { rm } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { buildApp } from '../../../src/cli/browser/build-app';
import { launchChromium } from '../../../src/cli/browser/chromium';
import { openLab, type LabPage } from '../../../src/cli/browser/lab-page';
import { serveStatic, type StaticServer } from '../../../src/cli/browser/static-server';

export interface LabServer {
  browser: Browser;
  /** http://127.0.0.1:PORT/ */
  url: string;
}

/** Registers beforeAll/afterAll hooks; the returned object is filled in before the first test. */
export function useLabServer(): LabServer {
  const lab = {} as LabServer;
  let server: StaticServer | undefined;
  let ownBuild: string | null = null;
  beforeAll(async () => {
    let dir = inject('labBuildDir') ?? null;
    if (!dir) dir = ownBuild = await buildApp();
    server = await serveStatic(dir);
    lab.url = server.url;
    lab.browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await lab.browser?.close();
    await server?.close();
    if (ownBuild) await rm(ownBuild, { recursive: true, force: true });
  });
  return lab;
}

/** Opens the page, runs `body`, and always leaves a full-page screenshot (after a failure it shows the error). */
export async function withLab(lab: LabServer, name: string, query: string, body: (page: LabPage) => Promise<void>): Promise<void> {
  const page = await openLab(lab.browser, lab.url, query);
  try {
    await body(page);
  } finally {
    await page.screenshot(name);
    await page.close();
  }
}
