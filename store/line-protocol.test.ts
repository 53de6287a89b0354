import { describe, expect, it } from 'vitest';
import type { Metric } from '../domain/telemetry';
import { escapeKey, fieldValue, toBodies, toLine } from './line-protocol';

const m = (tags: Metric['tags'], fields: Metric['fields']): Metric => ({ measurement: 'compound', tags, fields, time: 1_705_305_600_000 });

describe('line protocol', () => {
  it('writes measurement, tags, typed fields and ms time', () => {
    expect(toLine(m({ id: 'longhu-huating', sensor: 's1' }, { t_indoor: 18.5, dp: 40, ok: true, state: 'run' }))).toBe(
      'compound,id=longhu-huating,sensor=s1 t_indoor=18.5,dp=40,ok=true,state="run" 1705305600000',
    );
  });

  it('omits an absent or empty sensor tag', () => {
    expect(toLine(m({ id: 'a' }, { x: 1 }))).toBe('compound,id=a x=1 1705305600000');
    expect(toLine(m({ id: 'a', sensor: '' }, { x: 1 }))).toBe('compound,id=a x=1 1705305600000');
  });

  it('escapes comma, equals and space in tags and keys after encoding backslash and newline', () => {
    expect(escapeKey('a,b=c d')).toBe('a\\,b\\=c\\ d');
    expect(escapeKey('x\'); DROP TABLE readings; --')).toBe("x');\\ DROP\\ TABLE\\ readings;\\ --");
    expect(escapeKey('back\\slash\nnew')).toBe('back%5Cslash%0Anew');
    expect(escapeKey('德轩')).toBe('德轩');
  });

  it('escapes quotes and backslashes in string fields and keeps newlines', () => {
    expect(fieldValue('say "hi"\\\nbye')).toBe('"say \\"hi\\"\\\\\nbye"');
    expect(fieldValue(false)).toBe('false');
    expect(fieldValue(1e21)).toBe('1e+21');
  });

  it('skips metrics without fields and splits bodies by size', () => {
    const batch = [m({ id: 'a' }, {}), ...Array.from({ length: 10 }, (_, i) => m({ id: `s${i}` }, { x: i }))];
    const bodies = toBodies(batch, 100);
    expect(bodies.length).toBeGreaterThan(1);
    const lines = bodies.join('').split('\n').filter(Boolean);
    expect(lines).toHaveLength(10);
    for (const b of bodies) expect(b.endsWith('\n')).toBe(true);
  });
});
