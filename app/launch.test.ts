import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAUNCH_ENV, NODE_FLAGS } from './launch';

describe('launch settings', () => {
  it('npm start runs node with the flags and environment the bench uses, flags before the script, environment before exec', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    const start = pkg.scripts.start ?? '';
    const words = start.slice(start.lastIndexOf('&&') + 2).trim().split(/\s+/);
    const exec = words.indexOf('exec');
    expect(words[exec + 1]).toBe('node');
    const script = words.findIndex((w) => w.endsWith('heatwatch.mjs'));
    expect(script).toBeGreaterThan(exec + 1);
    // A flag after the script would reach the app as an argument, not Node.
    for (const flag of NODE_FLAGS) expect(words.slice(exec + 2, script)).toContain(flag);
    // An operator's own value wins: NAME=${NAME:-default}, before exec so node's environment has it.
    for (const [name, value] of Object.entries(LAUNCH_ENV)) expect(words.slice(0, exec)).toContain(`${name}=\${${name}:-${value}}`);
  });

  it('node accepts the flags', () => {
    const r = spawnSync(process.execPath, [...NODE_FLAGS, '-e', '0'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
