// Season over season: the same compounds before and after (e.g. a summer repair), normalised by
// heating degree-days (base 18 °C) so that a milder winter is not taken for a repair's effect.

import type { SeasonComparison, SeasonReport } from './season-model';

const r4 = (x: number): number => Math.round(x * 10_000) / 10_000;

export function compareSeasons(before: SeasonReport, after: SeasonReport): SeasonComparison {
  const afterById = new Map(after.compounds.map((c) => [c.id, c]));
  const per = (x: number, hdd: number): number => (hdd > 0 ? r4(x / hdd) : 0);
  const rows = before.compounds.flatMap((b) => {
    const a = afterById.get(b.id);
    if (!a) return [];
    const beforeDh = per(b.underheatingDegreeHoursPerHousehold, before.heatingDegreeDays);
    const afterDh = per(a.underheatingDegreeHoursPerHousehold, after.heatingDegreeDays);
    return [
      {
        compoundId: b.id,
        name: b.name,
        beforeDhPerHdd: beforeDh,
        afterDhPerHdd: afterDh,
        beforeTicketsPer1000PerHdd: per(b.ticketsPer1000Households, before.heatingDegreeDays),
        afterTicketsPer1000PerHdd: per(a.ticketsPer1000Households, after.heatingDegreeDays),
        change: beforeDh > 0 ? r4((afterDh - beforeDh) / beforeDh) : undefined,
      },
    ];
  });
  rows.sort((x, y) => y.beforeDhPerHdd - x.beforeDhPerHdd || x.compoundId.localeCompare(y.compoundId));
  return {
    before: { from: before.from, to: before.to, heatingDegreeDays: before.heatingDegreeDays },
    after: { from: after.from, to: after.to, heatingDegreeDays: after.heatingDegreeDays },
    rows,
  };
}
