// What a rule is about. Telemetry arrives for stations, compounds and weather sites; a primary
// network (一次网) has no telemetry of its own, its rules read its stations.

export const SCOPES = ['weather', 'station', 'compound', 'primary'] as const;
/** Also the evaluation order within one instant: inputs before the entities that read them. */
export type Scope = (typeof SCOPES)[number];

export const SCOPE_ORDER = { weather: 0, station: 1, compound: 2, primary: 3 } as const satisfies Record<Scope, number>;

export function entityKey(kind: Scope, id: string): string {
  return `${kind}/${id}`;
}

export interface EntityRef {
  readonly kind: Scope;
  readonly id: string;
}
