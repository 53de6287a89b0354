// Relatives a rule may read, through the network model: a compound's station and sibling
// compounds, a station's compounds, peer stations and weather site, a network's stations.

import type { Scope } from './scope';

export const RELATION_NAMES = ['self', 'station', 'weather', 'siblings', 'compounds', 'peers', 'stations'] as const;
export type Relation = (typeof RELATION_NAMES)[number];

export interface RelationDef {
  /** Scopes a rule may read this relation from. */
  readonly from: readonly Scope[];
  /** Scope of the related entity; undefined = the rule's own scope. */
  readonly target: Scope | undefined;
  /** Several relatives: the rule must say how to combine them (`across`). */
  readonly multi: boolean;
  readonly doc: string;
}

export const RELATIONS = {
  self: { from: ['weather', 'station', 'compound', 'primary'], target: undefined, multi: false, doc: 'the entity itself' },
  station: { from: ['compound'], target: 'station', multi: false, doc: "a compound's heat-exchange station" },
  weather: { from: ['station', 'compound'], target: 'weather', multi: false, doc: "the station's weather site" },
  siblings: { from: ['compound'], target: 'compound', multi: true, doc: 'the other compounds of the same station' },
  compounds: { from: ['station'], target: 'compound', multi: true, doc: "a station's compounds" },
  peers: { from: ['station'], target: 'station', multi: true, doc: 'the other stations on the same primary network' },
  stations: { from: ['primary'], target: 'station', multi: true, doc: "a primary network's stations" },
} as const satisfies Record<Relation, RelationDef>;

export function relationTarget(rel: Relation, from: Scope): Scope {
  const def: RelationDef = RELATIONS[rel];
  return def.target ?? from;
}
