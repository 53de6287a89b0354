import { describe, expect, it } from 'vitest';
import { areaOf, summariseProfile, type CpuProfile } from './profile-summary';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });

describe('profile summary', () => {
  it('names areas by folder, package, Node internals, GC and idle', () => {
    expect(areaOf(frame('parseInto', 'file:///work/main/ingest/parse-message.ts'))).toBe('ingest/parse-message.ts');
    expect(areaOf(frame('x', 'file:///work/main/node_modules/@duckdb/node-api/lib/DuckDBAppender.js'))).toBe('@duckdb/node-api');
    expect(areaOf(frame('x', 'file:///work/main/node_modules/mqtt/build/lib/client.js'))).toBe('mqtt');
    expect(areaOf(frame('x', 'node:internal/streams/readable'))).toBe('node:streams');
    expect(areaOf(frame('(garbage collector)', ''))).toBe('GC');
    expect(areaOf(frame('(idle)', ''))).toBe('idle');
  });

  it('adds self time per frame and inclusive time up the stack, leaving idle out of the busy share', () => {
    // root → main → parse, root → main → write; root → (idle)
    const p: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 5] },
        { id: 2, callFrame: frame('main', 'file:///w/bench/x.ts'), children: [3, 4] },
        { id: 3, callFrame: frame('parse', 'file:///w/ingest/parse-message.ts') },
        { id: 4, callFrame: frame('write', 'file:///w/store/duckdb-store.ts') },
        { id: 5, callFrame: frame('(idle)', '') },
      ],
      samples: [3, 3, 4, 5, 3],
      timeDeltas: [1000, 1000, 2000, 6000, 1000],
      startTime: 0,
      endTime: 11000,
    };
    const s = summariseProfile(p);
    expect(s.totalMs).toBe(11);
    expect(s.busyMs).toBe(5);
    expect(s.selfTop[0]).toMatchObject({ area: 'ingest/parse-message.ts', ms: 3, pct: 60 });
    expect(s.inclusiveTop.find((f) => f.frame.startsWith('main'))).toMatchObject({ ms: 5, pct: 100 });
    expect(s.areas.map((a) => a.frame)).toEqual(['ingest/parse-message.ts', 'store/duckdb-store.ts']);
  });
});
