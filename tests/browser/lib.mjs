// Shared by the browser tests: Debian's chromium driven by playwright-core (never a
// downloaded browser), argument parsing, and a result printed as one JSON line.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const AXE = join(HERE, 'node_modules', 'axe-core', 'axe.min.js');

export const CHROMIUM = process.env.HERALD_CHROMIUM || '/usr/bin/chromium';

export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run scripts/install-test-deps (it installs Debian's chromium)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** `--name value` options and the positional arguments. */
export function parseArgs(argv) {
  const opts = {};
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) opts[a.slice(2, eq)] = a.slice(eq + 1);
      else opts[a.slice(2)] = argv[++i];
    } else {
      rest.push(a);
    }
  }
  return { opts, rest };
}

/** Prints the result as JSON on stdout, a summary on stderr, and exits 0 only if it passed. */
export function finish(result) {
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  if (!result.ok) {
    process.stderr.write('FAILED:\n' + result.failures.map((f) => '  - ' + f).join('\n') + '\n');
  }
  process.exit(result.ok ? 0 : 1);
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** A hard limit for the whole script, so a hung browser never hangs the test run. */
export function deadline(ms, what) {
  const t = setTimeout(() => {
    process.stderr.write(`${what}: gave up after ${ms} ms\n`);
    process.stdout.write(JSON.stringify({ ok: false, failures: [`timed out after ${ms} ms`] }) + '\n');
    process.exit(2);
  }, ms);
  t.unref();
}
