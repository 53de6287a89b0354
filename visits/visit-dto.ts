// A visit as the API shows it: the stored visit, the names beside the ids, and its timeliness
// now (due times per stage, overdue and late flags). Nothing personal is in a visit.

import type { NetworkModel } from '../domain/network';
import type { LoopTimeliness } from '../tickets/loop-deadlines';
import type { Visit } from './visit-model';

export interface VisitDto extends Visit {
  readonly compoundName: string;
  readonly stationName: string;
  readonly timeliness: LoopTimeliness;
  /** Some stage is overdue now. */
  readonly overdue: boolean;
}

export function visitDto(network: NetworkModel, v: Visit, timeliness: LoopTimeliness): VisitDto {
  return {
    ...v,
    compoundName: network.compound(v.compoundId)?.name ?? v.compoundId,
    stationName: network.station(v.stationId)?.name ?? v.stationId,
    timeliness,
    overdue: timeliness.overdue.length > 0,
  };
}
