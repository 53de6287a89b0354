// The settings of correlation, ticket incidents, surges, the closed loop and proactive visits,
// taken from the validated configuration in one place (app wiring and the evaluation share it).

import type { Config } from '../config/config';
import type { CorrelationWindow } from '../tickets/correlation/explain';
import type { ClusterOptions } from '../tickets/correlation/ticket-clusters';
import type { SurgeOptions } from '../tickets/correlation/ticket-surge';
import type { LoopDeadlines } from '../tickets/loop-deadlines';
import type { VisitDueTimes } from './visit-deadlines';

export interface ClosedLoopSettings {
  readonly window: CorrelationWindow;
  readonly clusters: ClusterOptions;
  readonly surge: SurgeOptions;
  readonly loop: LoopDeadlines;
  readonly due: VisitDueTimes;
  readonly episodeGapMs: number;
  readonly recoveredMs: number;
  readonly openTicketWindowMs: number;
  readonly linkWindowMs: number;
}

export function closedLoopSettings(c: Config): ClosedLoopSettings {
  return {
    window: { beforeMs: c.HEAT_CORRELATION_BEFORE_MS, afterMs: c.HEAT_CORRELATION_AFTER_MS },
    clusters: { windowMs: c.HEAT_TICKET_CLUSTER_WINDOW_MS, minTickets: c.HEAT_TICKET_CLUSTER_MIN },
    surge: { windowMs: c.HEAT_TICKET_SURGE_WINDOW_MS, minCount: c.HEAT_TICKET_SURGE_MIN, pAlarm: c.HEAT_TICKET_SURGE_P },
    loop: { dispatched: c.HEAT_LOOP_DISPATCH_MS, resolved: c.HEAT_LOOP_RESOLVE_MS, supervised: c.HEAT_LOOP_SUPERVISE_MS, 'followed-up': c.HEAT_LOOP_FOLLOWUP_MS },
    due: { critical: c.HEAT_VISIT_DUE_CRITICAL_MS, high: c.HEAT_VISIT_DUE_HIGH_MS, low: c.HEAT_VISIT_DUE_LOW_MS, advisory: c.HEAT_VISIT_DUE_ADVISORY_MS },
    episodeGapMs: c.HEAT_VISIT_EPISODE_GAP_MS,
    recoveredMs: c.HEAT_VISIT_RECOVERED_MS,
    openTicketWindowMs: c.HEAT_VISIT_OPEN_TICKET_MS,
    linkWindowMs: c.HEAT_VISIT_LINK_MS,
  };
}
