import { mkdtemp, readFile, readdir, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWeb, WEB_SRC_DIR } from './build';

describe('buildWeb', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('bundles the page, skips an up-to-date build, and rebuilds when a source changes', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'heat-web-'));
    dirs.push(outDir);
    const first = await buildWeb({ outDir });
    expect(first.rebuilt).toBe(true);
    const files = await readdir(outDir);
    expect(files).toEqual(expect.arrayContaining(['index.html', 'app.js', 'styles.css']));
    expect(files.filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    const html = await readFile(join(outDir, 'index.html'), 'utf8');
    expect(html).toContain('src="app.js"');
    // echarts and socket.io-client are bundled in: the page needs nothing else from the network
    const js = await readFile(join(outDir, 'app.js'), 'utf8');
    expect(js).not.toMatch(/from\s*["'](echarts|socket\.io-client)/);

    expect((await buildWeb({ outDir })).rebuilt).toBe(false);

    const src = join(WEB_SRC_DIR, 'palette.ts');
    const before = await stat(src);
    try {
      await utimes(src, before.atime, new Date(before.mtimeMs + 5_000));
      expect((await buildWeb({ outDir })).rebuilt).toBe(true);
    } finally {
      await utimes(src, before.atime, before.mtime);
    }
  });
});
