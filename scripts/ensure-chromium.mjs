// Runs before `npm test`: the browser tests drive Debian's Chromium at /usr/bin/chromium. When it is
// missing, install it if this user may (root, or passwordless sudo, with apt-get); otherwise stop at
// once with the one command to run. CI (.ci/run) goes through this same path.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const INSTALL = ['apt-get', 'install', '-y', 'chromium'];

if (existsSync(CHROMIUM)) process.exit(0);

function found(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** The prefix that runs a command as root without asking for a password, or null. */
function rootPrefix() {
  if (process.getuid?.() === 0) return [];
  if (found('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) return ['sudo', '-n'];
  return null;
}

const prefix = rootPrefix();
if (!found('apt-get') || prefix === null) {
  const how = found('apt-get') ? `sudo ${INSTALL.join(' ')}` : 'install Chromium so that it is at /usr/bin/chromium';
  console.error(`The browser tests need ${CHROMIUM}, which is missing: run "${how}", then npm test again.`);
  process.exit(1);
}

console.log(`${CHROMIUM} is missing: installing Debian's chromium for the browser tests (once)...`);
const run = (args) => {
  const [command, ...rest] = [...prefix, ...args];
  execFileSync(command, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
};
try {
  run(['apt-get', 'update', '-q']);
  run([...INSTALL.slice(0, 2), '-q', ...INSTALL.slice(2)]);
} catch {
  console.error(`Installing chromium failed (see above): run "${prefix.length ? 'sudo ' : ''}${INSTALL.join(' ')}" by hand, then npm test again.`);
  process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  console.error(`apt-get installed chromium but ${CHROMIUM} is still missing: install Chromium there, then npm test again.`);
  process.exit(1);
}
