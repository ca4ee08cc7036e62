/**
 * WebGPU in real Chromium: with no GPU, Chromium's software adapter (SwiftShader) runs it, which
 * auto mode skips as slower than wasm; forcing it must still train, and the page must say so.
 */
import { describe, expect, test } from 'vitest';
import { useLabServer, withLab } from './support/lab-server';

const server = useLabServer();

describe('webgpu', () => {
  test('forced webgpu trains a tiny SAE on the software adapter, and the loss falls', { timeout: 170_000 }, async () => {
    // SwiftShader compiles shaders for seconds and takes ~0.7 s a step: one configuration, one seed, few steps.
    await withLab(server, 'webgpu-page', 'backend=webgpu&mode=single&seeds=1&steps=12&width=16&batch=32&every=2&images=500', async (lab) => {
      await lab.ready(120_000);
      expect(await lab.text('backend-name')).toBe('webgpu');
      expect(await lab.text('backend-detail')).toMatch(/software fallback adapter.*forced by \?backend=webgpu/);
      await lab.phase(/^done$/, 150_000);
      expect(await lab.number('step-A')).toBe(12);
      expect(await lab.number('loss-now-A')).toBeLessThan(await lab.number('loss-first-A'));
      expect(await lab.page.getByTestId('metric-curves-loss').locator('path.curve').count()).toBe(1);
    });
  });
});
