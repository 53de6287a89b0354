// Visits and episodes for store tests, built by hand.

import type { Episode, Visit } from '../visit-model';

export const T0 = Date.parse('2025-01-15T04:00:00Z');
const H = 3_600_000;

export function makeVisit(n: number, o: Partial<Visit> = {}): Visit {
  const compoundId = o.compoundId ?? 'longhu-huating';
  const receivedAt = o.receivedAt ?? T0 + n * H;
  return {
    id: o.id ?? `v-${compoundId}-${receivedAt - 600_000}`,
    compoundId,
    stationId: 'dexuan',
    primaryNetworkId: 'pn1',
    crew: 'crew-gangcheng',
    tailEnd: true,
    episodeId: `ep@${compoundId}@${receivedAt - 600_000}`,
    episodeStart: receivedAt - 600_000,
    receivedAt,
    dueAt: receivedAt + 8 * H,
    severity: 'low',
    reasons: [
      {
        alertId: `underheat-indoor@compound/${compoundId}@${receivedAt - 600_000}`,
        ruleId: 'underheat-indoor',
        ruleName: { zh: '小区室温低于18°C', en: 'Compound indoor temperature below 18 °C' },
        category: 'underheating',
        severity: 'low',
        openedAt: receivedAt - 600_000,
        value: 17.2,
        evidence: [{ signal: 'indoor_max', value: 17.2, op: 'lt', threshold: 18 }],
      },
    ],
    summary: { zh: '龙湖华庭：室温低于18°C', en: 'Longhu Huating: indoor below 18 °C' },
    homes: [{ rank: 1, buildingId: `${compoundId}-b4`, buildingName: '4号楼', unit: 1, floor: 6, rooms: ['601'], reasons: ['far-building', 'top-floor', 'end-unit'] }],
    loop: { stage: 'received', at: { received: receivedAt }, by: { received: 'system' } },
    ticketIds: [],
    ...o,
  };
}

export function makeEpisode(n: number, o: Partial<Episode> = {}): Episode {
  const compoundId = o.compoundId ?? 'longhu-huating';
  const start = o.start ?? T0 + n * H;
  return {
    id: `ep@${compoundId}@${start}`,
    compoundId,
    stationId: 'dexuan',
    start,
    lastAlertAt: start,
    underheating: true,
    alertIds: [`underheat-indoor@compound/${compoundId}@${start}`],
    ticketFirst: false,
    ...o,
  };
}
