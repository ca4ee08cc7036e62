/** Runs `npm run lab -- …` the way a user does; resolves even when the command fails. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function lab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return labWithEnv({}, ...args);
}

/** As `lab`, with these environment variables added (a Slurm array task's, a Kubernetes Job's). */
export async function labWithEnv(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['scripts/run-cli.mjs', ...args], { maxBuffer: 16 << 20, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
