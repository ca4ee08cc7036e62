/**
 * Headless Chromium through playwright-core, with WebGPU on its software adapter (SwiftShader). Used by the
 * browser tests and by `npm run bench -- --browser`; playwright-core is imported when called, so the
 * command-line bundle loads it only then.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: npm test installs it (scripts/ensure-chromium.mjs), or run "apt-get install -y chromium"`);
  }
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--enable-unsafe-webgpu',
      '--enable-unsafe-swiftshader',
    ],
  });
}
