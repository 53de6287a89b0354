import { describe, expect, it } from 'vitest';
import { hrefOf, parseHash } from './router';

describe('hash router', () => {
  it('parses pages, ids and parameters', () => {
    expect(parseHash('#/overview')).toEqual({ page: 'overview', params: {} });
    expect(parseHash('#/station/dexuan?range=7d')).toEqual({ page: 'station', id: 'dexuan', params: { range: '7d' } });
    expect(parseHash('#/alerts?severity=high&network=pn1&rule=')).toEqual({ page: 'alerts', params: { severity: 'high', network: 'pn1' } });
  });

  it('keeps the old #station= links working', () => {
    expect(parseHash('#station=dexuan')).toEqual({ page: 'station', id: 'dexuan', params: {} });
  });

  it('refuses unknown pages and ids that are not ids', () => {
    expect(parseHash('')).toBeUndefined();
    expect(parseHash('#/nowhere')).toBeUndefined();
    expect(parseHash('#/station/%3Cimg%3E')).toEqual({ page: 'station', params: {} });
    expect(parseHash('#/station/%E0%A4%A')).toEqual({ page: 'station', params: {} });
  });

  it('round-trips through hrefOf, leaving out empty parameters', () => {
    const href = hrefOf({ page: 'compound', id: 'longhu-huating', params: { range: '24h', x: undefined, y: '' } });
    expect(href).toBe('#/compound/longhu-huating?range=24h');
    expect(parseHash(href)).toEqual({ page: 'compound', id: 'longhu-huating', params: { range: '24h' } });
  });
});
