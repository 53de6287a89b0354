// Issue 9, item 4 (the parser alone): 12,000 generated hostile and good inputs through
// parseMessage. It never throws; every bad input is rejected with a catalogue code that fits
// what is wrong with it and a reason; the good parts of every input are kept, exactly.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config';
import { loadNetwork } from '../../domain/network-loader';
import { parseMessage } from '../../ingest/parse-message';
import { payloadLimits } from '../../ingest/payload-schema';
import { judge, yieldsOf } from './fuzz-check';
import { CATEGORIES, generateCorpus, type Category } from './hostile-payloads';

const network = loadNetwork(new URL('../../fixtures/networks/mini.json', import.meta.url).pathname);
const limits = payloadLimits(loadConfig({}));
const NOW = Date.parse('2025-01-15T04:00:00Z');

describe('fuzz: parseMessage', () => {
  it('12,000 hostile and good inputs: no crash, every bad one rejected with a fitting reason, every good part kept', () => {
    const corpus = generateCorpus({ seed: 20250115, count: 12_000, network, now: NOW, limits, mqtt: false });
    const byCategory = new Map<Category, number>(CATEGORIES.map((c) => [c, 0]));
    let crashes = 0;
    let rejectedInputs = 0;
    let rejections = 0;
    let fieldValues = 0;
    const problems: string[] = [];
    for (const input of corpus) {
      byCategory.set(input.category, (byCategory.get(input.category) ?? 0) + 1);
      let r;
      try {
        r = parseMessage(input.topic, input.payload, network, NOW, limits);
      } catch (e) {
        crashes++;
        problems.push(`${input.category}: threw ${String(e)}`);
        continue;
      }
      const got = yieldsOf(r.metrics);
      fieldValues += got.size;
      if (r.rejections.length > 0) rejectedInputs++;
      rejections += r.rejections.length;
      for (const p of judge(input, got, r.rejections)) problems.push(`${input.category} ${input.topic.slice(0, 60)} ${input.payload.subarray(0, 80).toString()}: ${p}`);
    }
    console.log(
      `[fuzz] parseMessage: inputs=${corpus.length} rejectedInputs=${rejectedInputs} rejections=${rejections} fieldValuesKept=${fieldValues} crashes=${crashes} problems=${problems.length}\n` +
        `[fuzz] by category: ${[...byCategory].map(([c, n]) => `${c}=${n}`).join(' ')}`,
    );
    expect(problems.slice(0, 10)).toEqual([]);
    expect(crashes).toBe(0);
    expect(corpus.length).toBeGreaterThanOrEqual(10_000);
    for (const c of CATEGORIES) expect(byCategory.get(c), c).toBeGreaterThan(0);
  });
});
