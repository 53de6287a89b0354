// The closed loop's self-metrics on /metrics, read from the parts' counters when Prometheus
// scrapes (no work on the hot path): what was correlated and written, what failed (each failure
// is also logged), what was too old to judge, and what the visit planner did.

import { Gauge, type Registry } from 'prom-client';
import type { TicketService } from '../tickets/ticket-service';
import type { ClosedLoop } from './closed-loop';

export function registerClosedLoopMetrics(registry: Registry, loop: ClosedLoop, tickets: TicketService): void {
  const gauge = (name: string, help: string, read: () => number): void => {
    if (registry.getSingleMetric(name) !== undefined) registry.removeSingleMetric(name);
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  };
  const c = () => loop.correlator.stats();
  const p = () => loop.planner.stats();
  gauge('heat_correlation_writes_total', 'Ticket correlations written (a verdict or an alert changed)', () => c().writes);
  gauge('heat_correlation_reevaluations_total', 'Tickets re-judged because an alert changed', () => c().reevaluated);
  gauge('heat_correlation_failures_total', 'Alert events whose correlation failed (logged)', () => c().failures);
  gauge('heat_correlation_skipped_old_total', 'Tickets too old to judge without alert history (left uncorrelated)', () => c().skippedOld);
  gauge('heat_correlation_open_tickets', 'Tickets still open to re-evaluation', () => c().tickets);
  gauge('heat_correlation_queued', 'Correlation calls waiting their turn', () => c().queued);
  gauge('heat_visits_episodes_total', 'Under-heating episodes begun', () => p().episodes);
  gauge('heat_visits_issued_total', 'Proactive visits issued (follow-ups included)', () => p().visits);
  gauge('heat_visits_ticket_first_total', 'Episodes with a complaint already open (no visit)', () => p().ticketFirst);
  gauge('heat_visits_linked_tickets_total', 'Complaints linked to a visit', () => p().linked);
  gauge('heat_visits_failures_total', 'Alert events whose visit planning failed (logged)', () => p().failures);
  gauge('heat_ticket_listener_failures_total', 'Ticket listeners (correlation, visit links) that failed (logged)', () => tickets.failedListenerCalls);
}
