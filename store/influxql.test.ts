import { describe, expect, it } from 'vitest';
import { HeatError } from '../domain/errors';
import { ident, literal, selectAggregate, selectLast, selectRaw } from './influxql';

describe('InfluxQL text', () => {
  it('quotes literals and identifiers', () => {
    expect(literal("x'); DROP --")).toBe("'x\\'); DROP --'");
    expect(literal('a\\b\nc')).toBe("'a\\\\b\\nc'");
    expect(ident('we"ird')).toBe('"we\\"ird"');
    expect(() => ident('a\\b')).toThrow(HeatError);
  });

  it('builds raw, aggregate and last() statements from encoded names', () => {
    const f = { measurement: 'compound' as const, id: "it's\\", sensor: 's 1', from: 1000, to: 2000 };
    expect(selectRaw(f, ['t_indoor', 'x"y'], 11)).toBe(
      `SELECT "t_indoor", "x\\"y" FROM "compound" WHERE "id" = 'it\\'s%5C' AND "sensor" = 's 1' AND time >= 1000ms AND time < 2000ms GROUP BY "sensor" LIMIT 11`,
    );
    expect(selectAggregate({ ...f, sensor: undefined }, 'dp', 60000)).toBe(
      `SELECT mean("dp") AS "mean", min("dp") AS "min", max("dp") AS "max", count("dp") AS "count" FROM "compound" WHERE "id" = 'it\\'s%5C' AND time >= 1000ms AND time < 2000ms GROUP BY time(60000ms), "sensor" fill(none)`,
    );
    expect(selectLast('station', 't1', ['a', "b'"])).toBe(`SELECT last("t1") AS "value" FROM "station" WHERE ("id" = 'a' OR "id" = 'b\\'') GROUP BY "id", "sensor"`);
  });
});
