// Issue 9, item 5: text from outside (names, addresses, ticket texts) is rendered inert in the
// browser. The page builds DOM through web/src/element.ts (textContent only); this check keeps it
// that way: no HTML-parsing sink anywhere in the page's source, and a CSP that runs no inline or
// injected script even if one slipped in. (The browser tests show names rendered as text.)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApi } from '../../api/testing/api-harness';

const WEB_SRC = new URL('../../web/src/', import.meta.url).pathname;
const SINKS = /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML\s*\(|document\.write(ln)?\s*\(|\beval\s*\(|new\s+Function\s*\(|createContextualFragment\s*\(|DOMParser\b|srcdoc\b/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });
}

describe('web page: outside text stays text', () => {
  it('no HTML-parsing sink in web/src', () => {
    const files = sources(WEB_SRC);
    expect(files.length).toBeGreaterThan(5);
    const hits = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => [line, i] as const)
        .filter(([line]) => SINKS.test(line) && !/^\s*(\/\/|\*)/.test(line))
        .map(([line, i]) => `${f.slice(WEB_SRC.length)}:${i + 1}: ${line.trim()}`),
    );
    expect(hits).toEqual([]);
  });

  it('the CSP runs only our own script files: no inline script, no eval, no other origin', async () => {
    const h = await startApi();
    try {
      const csp = (await fetch(`${h.base}/`)).headers.get('content-security-policy') ?? '';
      const script = /script-src ([^;]+)/.exec(csp)?.[1] ?? '';
      expect(script.trim()).toBe("'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).not.toMatch(/unsafe-eval/);
    } finally {
      await h.close();
    }
  });
});
