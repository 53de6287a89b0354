// Integration tests need real servers from PATH (mosquitto, influxd, chromium).
// When one is missing they skip loudly; under CI (CI=true) a missing one is a failure, never a skip.
import { execFileSync } from 'node:child_process';

export function findBinary(name: string, candidates: readonly string[] = []): string | undefined {
  for (const c of [...candidates, name]) {
    try {
      const p = execFileSync('sh', ['-c', `command -v ${JSON.stringify(c)}`], { encoding: 'utf8' }).trim();
      if (p) return p;
    } catch {
      // not found: try the next candidate
    }
  }
  return undefined;
}

/**
 * Returns the binary's path, or undefined after printing a loud skip notice.
 * Throws under CI so that a missing server fails the run.
 */
export function requireBinary(name: string, why: string, candidates: readonly string[] = []): string | undefined {
  const p = findBinary(name, candidates);
  if (p) return p;
  const msg = `${name} not found on PATH: ${why}`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${msg}`);
  process.stderr.write(`\n*** SKIPPING: ${msg} (install it, e.g. apt-get install ${name}) ***\n\n`);
  return undefined;
}
