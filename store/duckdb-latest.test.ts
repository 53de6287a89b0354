// The DuckDB store's in-memory newest values (the store's contract suite covers them through the
// port; here the cache alone: series first seen out of id order, fields interleaved, older times).
import { describe, expect, it } from 'vitest';
import { SeriesDictionary } from './duckdb-dictionary';
import { LatestCache } from './duckdb-latest';
import { NO_SENSOR } from './series-collector';

describe('LatestCache', () => {
  it('keeps the newest value per series field, in the order fields were first seen', () => {
    const dict = new SeriesDictionary();
    const a = dict.seriesId('station', 'a', NO_SENSOR);
    const b = dict.seriesId('station', 'b', NO_SENSOR);
    const room = dict.seriesId('compound', 'c', 's-1');
    const [t2, pump, ti] = [dict.fieldId('t2_supply'), dict.fieldId('pump_state'), dict.fieldId('t_indoor')];
    const cache = new LatestCache(dict);
    // b and the sensor before a: series ids seen out of order.
    cache.set(room, ti, 100, 18.5);
    cache.set(b, pump, 100, 'run');
    cache.set(a, t2, 100, 50);
    cache.set(b, t2, 100, 49);
    cache.set(a, pump, 200, 'stop');
    cache.set(a, t2, 300, 51);
    cache.set(a, t2, 250, 99); // older: ignored
    cache.set(b, pump, 100, 'stop'); // same time: a rewrite of the point
    expect(cache.size).toBe(5);
    expect(cache.read('station')).toEqual([
      { measurement: 'station', id: 'b', field: 'pump_state', time: 100, value: 'stop' },
      { measurement: 'station', id: 'b', field: 't2_supply', time: 100, value: 49 },
      { measurement: 'station', id: 'a', field: 't2_supply', time: 300, value: 51 },
      { measurement: 'station', id: 'a', field: 'pump_state', time: 200, value: 'stop' },
    ]);
    expect(cache.read('station', ['a', 'a', 'nope'])).toEqual([
      { measurement: 'station', id: 'a', field: 't2_supply', time: 300, value: 51 },
      { measurement: 'station', id: 'a', field: 'pump_state', time: 200, value: 'stop' },
    ]);
    expect(cache.read('compound', ['c'])).toEqual([{ measurement: 'compound', id: 'c', sensor: 's-1', field: 't_indoor', time: 100, value: 18.5 }]);
    expect([...cache.entries()]).toEqual([
      { sid: a, fid: t2, time: 300, value: 51 },
      { sid: a, fid: pump, time: 200, value: 'stop' },
      { sid: b, fid: pump, time: 100, value: 'stop' },
      { sid: b, fid: t2, time: 100, value: 49 },
      { sid: room, fid: ti, time: 100, value: 18.5 },
    ]);
  });

  it('refuses a series the dictionary does not hold', () => {
    const cache = new LatestCache(new SeriesDictionary());
    expect(() => cache.set(7, 0, 1, 1)).toThrow(RangeError);
  });
});
