import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lab } from '../helpers/lab-cli';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('the headless runner, killed and resumed', () => {
  it('ends a run killed mid-training (SIGKILL) and resumed with --resume with the bytes of an uninterrupted run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-resume-'));
    const run = join(dir, 'run.json');
    // Long enough that the first checkpoint (after 0.3 s of training) comes well before the end.
    await writeFile(run, JSON.stringify({ name: 'resumable', seeds: [0, 1], d_sae: 16, batchSize: 32, length: { unit: 'steps', value: 600 }, metricsEvery: 25, penalty: { kind: 'l2', coeff: 1e-4 } }));
    const args = (out: string) => ['train', '--config', run, '--out', out, '--images', '1024'];

    const full = await lab(...args(join(dir, 'full')));
    expect(full.stderr).not.toMatch(/error:/);
    expect(full.code).toBe(0);

    const killedOut = join(dir, 'killed');
    const checkpoint = join(killedOut, 'resumable', 'checkpoint.safetensors');
    const child = spawn('node', ['scripts/run-cli.mjs', ...args(killedOut), '--ckpt', '0.3'], { stdio: 'ignore' });
    const exited = once(child, 'exit');
    let finished = false;
    void exited.then(() => (finished = true));
    while (!finished && !(await exists(checkpoint))) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(finished).toBe(false); // killed mid-run, not after it
    child.kill('SIGKILL');
    await exited;

    const resumed = await lab('--resume', killedOut);
    expect(resumed.stderr).not.toMatch(/error:/);
    expect(resumed.code).toBe(0);
    const from = Number(/resumable: resumed from step (\d+)/.exec(resumed.stdout)?.[1]);
    expect(from).toBeGreaterThan(0);
    expect(from).toBeLessThan(600);
    expect(resumed.stdout).toMatch(/resumable\s+0\.\d{3}/);

    for (const seed of [0, 1]) {
      for (const file of ['sae_weights.safetensors', 'metrics.jsonl', 'cfg.json']) {
        const [a, b] = await Promise.all([readFile(join(dir, 'full', 'resumable', `seed-${seed}`, file)), readFile(join(killedOut, 'resumable', `seed-${seed}`, file))]);
        expect(b.equals(a), `seed ${seed} ${file}`).toBe(true);
      }
    }
    expect(await readFile(join(killedOut, 'resumable', 'alignment.json'), 'utf8')).toBe(await readFile(join(dir, 'full', 'resumable', 'alignment.json'), 'utf8'));

    // A finished configuration is left as is.
    const again = await lab('--resume', killedOut);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/resumable: finished before, left as is/);
  }, 120_000);
});
