// One colour and one label per alert severity, so the schematic, the board and the crew view agree.
// Red/orange/yellow for the refund bands (critical/high/low), violet for advisories; green = no alert.

import { SEVERITY_LABEL } from '../../rules/severity';
import type { Severity } from './alert-types';
import { lang } from './i18n';

export const SEVERITY_COLOUR = {
  critical: '#ff4d6d',
  high: '#ff8f3c',
  low: '#ffd23d',
  advisory: '#a78bfa',
} as const satisfies Record<Severity, string>;

export const NO_ALERT_COLOUR = '#2e8f68';

export function severityColour(s: Severity | undefined): string {
  return s === undefined ? NO_ALERT_COLOUR : SEVERITY_COLOUR[s];
}

export function severityLabel(s: Severity): string {
  return SEVERITY_LABEL[s][lang()];
}
