import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAUNCH_ENV, NODE_FLAGS } from './launch';

describe('launch settings', () => {
  it('npm start runs node with the flags and environment the bench uses', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    const start = pkg.scripts.start ?? '';
    const launch = start.slice(start.lastIndexOf('&&') + 2).trim();
    expect(launch).toMatch(/exec node /);
    for (const flag of NODE_FLAGS) expect(launch.split(/\s+/)).toContain(flag);
    // An operator's own value wins: ${NAME:-default}.
    for (const [name, value] of Object.entries(LAUNCH_ENV)) expect(launch).toContain(`${name}=\${${name}:-${value}}`);
  });
});
