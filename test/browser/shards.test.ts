/**
 * The language-model track in real Chromium, offline, on the WordNet gloss sample it opens on: its
 * shards and model load by themselves, TopK seeds train with and without L2, features show the
 * categories of their top glosses, a feature's contexts and logit lens are inspected, the model
 * steers, and steering success is measured; the random-weight control loads and says what it is;
 * then bad files go through the picker and the data loaded before stays in use.
 */
import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { writeNpy } from '../../src/core/formats/npy';
import { useLabServer, withLab } from './support/lab-server';
import { horizontalOverflow } from './support/layout';

const server = useLabServer();

/** The track's default preset on the gloss sample it opens on, shortened so the run finishes in seconds on wasm. */
const SAMPLE_RUN = 'data=lm&backend=wasm&auto=0&steps=60&every=5';
/** A WordNet lexicographer category, as the gloss sample labels its rows. */
const CATEGORY = /^(noun|verb|adj|adv)\.[A-Za-z]+$/;

describe('language-model track', () => {
  test('the gloss sample and its model load by themselves, TopK seeds train with and without L2, and a feature shows its categories, is inspected and steered', async () => {
    await withLab(server, 'shards-sample', SAMPLE_RUN, async (lab) => {
      const page = lab.page;
      await lab.ready(90_000);
      expect(await lab.text('shard-note')).toMatch(/WordNet gloss model: a tiny GPT-NeoX trained here .*\(not Pythia\)/);
      expect(await lab.text('shard-hook')).toBe('blocks.1.hook_resid_post');
      expect(await lab.text('data-name')).toMatch(/activation rows of width 128/);
      await expect.poll(() => lab.text('model-status'), { timeout: 60_000 }).toMatch(/^Loaded WordNet gloss model/);
      await lab.screenshot('view-data-shards', 'data-panel');
      // The header says what the SAEs train on here: not MNIST, and not Pythia.
      expect(await lab.text('header-data')).toBe(
        "residual-stream activations of the WordNet gloss model (a tiny GPT-NeoX trained here on WordNet's glosses, not Pythia) at blocks.1.hook_resid_post",
      );
      expect(await lab.text('header-intro')).not.toMatch(/MNIST/);

      await page.getByTestId('start').click();
      await lab.phase(/^done$/, 120_000);
      // The paper's headline for Pythia: the fraction of features shared across all three seeds, per configuration.
      for (const run of [0, 1]) expect(await lab.text(`headline-frac-${run}`)).toMatch(/\d/);

      // Each feature's most common category among its top glosses fills the table's label column.
      await page.getByTestId('find-feature-labels').click();
      await expect.poll(() => page.getByTestId('feature-label').first().innerText(), { timeout: 60_000 }).toMatch(/(noun|verb|adj|adv)\.[A-Za-z]+/);
      await lab.screenshot('view-feature-labels', 'features-panel');

      const firstRow = page.getByTestId('feature-row').first();
      await firstRow.click();
      const inspector = page.getByTestId('text-feature-inspector');
      await inspector.waitFor({ timeout: 30_000 });
      await lab.screenshot('view-text-inspector', 'inspector-panel');
      const contexts = page.getByTestId('top-contexts').locator('li');
      expect(await contexts.count()).toBeGreaterThan(0);
      // Each top context is a gloss, with its synset's category.
      const labels = await page.getByTestId('context-label').allInnerTexts();
      expect(labels.length).toBe(await contexts.count());
      for (const label of labels) expect(label).toMatch(CATEGORY);
      // Every context fits its line (it wraps between tokens), its firing last token inside the inspector, at 1400 px and on a phone.
      for (const width of [1400, 390]) {
        await page.setViewportSize({ width, height: 900 });
        const layout = await page.getByTestId('text-feature-inspector').evaluate((inspector) => {
          const box = inspector.getBoundingClientRect();
          return [...inspector.querySelectorAll<HTMLElement>('[data-testid="top-context"]')].map((item) => {
            const last = item.querySelector('.sv-token-row')!.getBoundingClientRect();
            return { fits: item.scrollWidth <= item.clientWidth, lastInside: last.left >= box.left && last.right <= box.right };
          });
        });
        expect(layout.length).toBe(await contexts.count());
        expect(layout.every((c) => c.fits && c.lastInside), `at ${width} px: ${JSON.stringify(layout)}`).toBe(true);
        await lab.screenshot(`view-text-inspector-${width}`, 'inspector-panel');
      }
      await page.setViewportSize({ width: 1280, height: 900 });
      // Partners say why they are or are not shared: decoder and encoder |cos| of the pair.
      expect(await lab.text('cosines-of-partner-1')).toMatch(/^dec \|cos\| \d\.\d+ · enc \|cos\| \d\.\d+$/);
      // Tokens are the gloss tokenizer's text, not ids.
      expect(await contexts.first().innerText()).not.toMatch(/#\d+/);
      expect(await page.getByTestId('logit-lens').locator('li').count()).toBeGreaterThan(0);

      // The prompt box shows the whole default prompt.
      const prompt = page.getByTestId('steer-prompt');
      expect(await prompt.inputValue()).toBe('The most important thing is');
      const promptBox = await prompt.evaluate((input) => ({ scrollWidth: input.scrollWidth, clientWidth: input.clientWidth }));
      expect(promptBox.scrollWidth, JSON.stringify(promptBox)).toBeLessThanOrEqual(promptBox.clientWidth);
      expect(promptBox.clientWidth).toBeGreaterThan(150);
      await page.getByTestId('steer-prompt').fill('cat:');
      await page.getByTestId('steer-text-alpha').fill('5');
      await page.getByTestId('steer-text-alpha').press('Enter');
      await page.getByTestId('steer-generate').click();
      await page.getByTestId('text-steering-result').waitFor({ timeout: 60_000 });
      const steered = await lab.text('steered-text');
      const unsteered = await lab.text('unsteered-text');
      expect(steered.startsWith('cat:')).toBe(true);
      // The model writes English: most of what it adds, unsteered, is lower-case words.
      const words = unsteered.slice('cat:'.length).split(/\s+/).filter(Boolean);
      expect(words.filter((w) => /^[a-z][a-z-]*[,;.)]?$/.test(w)).length, unsteered).toBeGreaterThanOrEqual(words.length * 0.6);
      // A strong push changes the continuation sampled with the same seed.
      expect(steered).not.toBe(unsteered);
      expect(await page.getByTestId('next-token-changes').locator('tbody tr').count()).toBeGreaterThan(0);
      await lab.screenshot('view-text-steering', 'steering-panel');

      await page.getByTestId('measure-steering').click();
      await expect.poll(() => page.getByTestId('steering-success-B').count(), { timeout: 180_000 }).toBe(1);
      expect(await lab.text('steering-success-A')).toMatch(/\d+\.\d% \(95% interval/);
      // The verdict compares per-feature rates; the pooled-trial tests follow, labelled as assuming independence.
      expect(await lab.text('steering-success-comparison')).toMatch(/Mann–Whitney U over the success rates of \d+ \+ \d+ features, p = /);
      expect(await lab.text('steering-success-clustering')).toMatch(/not independent/);
      expect(await lab.text('steering-success-pooled')).toMatch(/assuming every trial independent.*Fisher's exact p = /);
      expect(await lab.text('steering-success-definition')).toMatch(/clean pass of the model/);
      // On the gloss sample, WordNet's categories judge too: the judge's own accuracy is stated.
      expect(await lab.text('concept-success-A')).toMatch(/\d+\.\d% \(95% interval .* trials over \d+ features, α = 5\)/);
      expect(await lab.text('concept-success-B')).toMatch(/\d+\.\d% \(95% interval/);
      expect(await lab.text('concept-success-definition')).toMatch(/The judge puts \d+\.\d% of [\d,]+ held-out glosses in their category \(the most common category alone: \d+\.\d%\)/);

      // The built app's Content-Security-Policy: nothing it did was refused, and injected script does not run.
      expect(lab.log.join('\n')).not.toMatch(/Content Security Policy|Refused to/);
      const injectedRan = await page.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'window.__injected = true';
        document.body.append(script);
        return (window as unknown as { __injected?: boolean }).__injected === true;
      });
      expect(injectedRan).toBe(false);

      // On a phone nothing hides behind sideways scrolling.
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => horizontalOverflow(page)).toEqual({ documentWidth: 390, clipped: [] });
      await lab.screenshot('shards-390x844');
    });
  });

  test('the random-weight control loads with its own model and says what it is', async () => {
    await withLab(server, 'shards-control', SAMPLE_RUN, async (lab) => {
      const page = lab.page;
      await lab.ready(90_000);
      await page.getByTestId('load-control-shards').click();
      await expect.poll(() => lab.text('shard-note').catch(() => ''), { timeout: 60_000 }).toMatch(/synthetic/i);
      expect(await lab.text('shard-note')).toMatch(/not Pythia/);
      expect(await lab.text('shard-hook')).toBe('blocks.3.hook_resid_post');
      expect(await lab.text('header-data')).toMatch(/^residual-stream activations of a random-weight synthetic GPT-NeoX \(.+, not Pythia\) at blocks\.3\.hook_resid_post$/);
      await expect.poll(() => lab.text('model-status'), { timeout: 60_000 }).toMatch(/^Loaded .*d_model 64/);
      await page.getByTestId('preset-lm-sample').click();
      await page.getByTestId('start').click();
      await lab.phase(/^(training|done)$/, 60_000);
    });
  });

  test('bad shard files are refused with a message naming the file, and the loaded data stays', async () => {
    await withLab(server, 'shards-bad-input', SAMPLE_RUN, async (lab) => {
      const page = lab.page;
      await lab.ready(90_000);
      const rowsBefore = await lab.text('shard-rows');
      const picker = page.getByTestId('shard-files');

      await picker.setInputFiles({ name: 'notes.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from('this is not a safetensors file at all') });
      await expect.poll(() => page.getByTestId('shard-error').count(), { timeout: 30_000 }).toBe(1);
      expect(await lab.text('shard-error')).toMatch(/notes\.safetensors/);
      expect(await lab.text('shard-error')).toMatch(/still in use/);
      expect(await lab.text('shard-rows')).toBe(rowsBefore);

      const manifest = JSON.stringify({ format: 'sae-lab-activations', version: 1, model: 'm', hook: 'blocks.3.hook_resid_post', d_model: -3, dtype: 'F16', context: 64, total_tokens: 1, shards: [] });
      await picker.setInputFiles({ name: 'manifest.json', mimeType: 'application/json', buffer: Buffer.from(manifest) });
      await expect.poll(() => lab.text('shard-error'), { timeout: 30_000 }).toMatch(/manifest\.json.*d_model/);
      expect(await lab.text('shard-rows')).toBe(rowsBefore);
      await lab.screenshot('view-shard-error', 'data-panel');

      // The page still trains on what it had.
      await page.getByTestId('start').click();
      await lab.phase(/^done$/, 120_000);

      // Plain .npy activations (no tokens) load too.
      const rows = Float32Array.from({ length: 300 * 64 }, (_, i) => Math.sin(i * 0.37));
      await picker.setInputFiles({ name: 'acts.npy', mimeType: 'application/octet-stream', buffer: Buffer.from(writeNpy(rows, [300, 64], { dtype: '<f4' })) });
      await expect.poll(() => lab.text('shard-rows'), { timeout: 30_000 }).toMatch(/^300 of 300 tokens, d_model 64/);
    });
  });

  test('shards exported in the browser from text with the sample model load into the lab and train', async () => {
    await withLab(server, 'shards-export', 'data=lm&backend=wasm&auto=0&steps=20&every=5', async (lab) => {
      const page = lab.page;
      await page.getByTestId('shard-exporter').locator('summary').click();
      const story = 'the cat sat on the mat. a dog ran in the park, and the bird sang! '.repeat(60);
      await page.getByTestId('export-texts').setInputFiles([
        { name: 'story.txt', mimeType: 'text/plain', buffer: Buffer.from(story) },
        { name: 'more.jsonl', mimeType: 'application/json', buffer: Buffer.from(`${JSON.stringify({ text: story })}\n\n${JSON.stringify({ text: 'the end.' })}\n`) },
      ]);
      await page.getByTestId('export-context').fill('64');
      await page.getByTestId('export-tokens').fill('1500');
      await page.getByTestId('export-run').click();
      await expect.poll(() => lab.text('export-shards-status'), { timeout: 120_000 }).toMatch(/^Exported 1,500 tokens of .* in 1 shard\.$/);
      // The zip is built off the page's thread (fflate's workers), under the app's CSP.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
      const zipped = unzipSync(new Uint8Array(await readFile((await download.path())!)));
      expect(Object.keys(zipped).sort()).toEqual(['manifest.json', 'shard-00000.safetensors']);
      expect(JSON.parse(strFromU8(zipped['manifest.json'])).total_tokens).toBe(1500);
      await page.getByTestId('export-use').click();
      await expect.poll(() => lab.text('shard-rows').catch(() => ''), { timeout: 60_000 }).toMatch(/^1,500 of 1,500 tokens, d_model 128/);
      expect(await lab.text('shard-hook')).toBe('blocks.3.hook_resid_post');
      await lab.screenshot('view-shard-export', 'data-panel');
      await page.getByTestId('start').click();
      await lab.phase(/^done$/, 120_000);
    });
  });
});
