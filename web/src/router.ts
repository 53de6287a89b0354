// The dashboard's hash router: `#/overview`, `#/alerts?severity=high`, `#/station/dexuan?range=7d`,
// `#/compound/longhu-huating`, `#/tickets`, `#/visits`, `#/crew`. The hash survives a reload, so a
// control-room screen comes back to the same page; the old `#station=dexuan` links still work.

export const PAGES = ['overview', 'alerts', 'station', 'compound', 'tickets', 'visits', 'crew'] as const;
export type PageName = (typeof PAGES)[number];

export interface Route {
  readonly page: PageName;
  /** Station or compound id for the detail pages. */
  readonly id?: string;
  readonly params: Readonly<Record<string, string>>;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function isPage(s: string): s is PageName {
  return (PAGES as readonly string[]).includes(s);
}

/** The route of a location hash, or undefined for an empty or unknown one. */
export function parseHash(hash: string): Route | undefined {
  const legacy = /^#station=([A-Za-z0-9_-]{1,64})$/.exec(hash);
  if (legacy) return { page: 'station', id: legacy[1] as string, params: {} };
  const m = /^#\/([a-z]+)(?:\/([^?]*))?(?:\?(.*))?$/.exec(hash);
  if (m === null) return undefined;
  const page = m[1] as string;
  if (!isPage(page)) return undefined;
  let id: string | undefined;
  try {
    id = m[2] ? decodeURIComponent(m[2]) : undefined;
  } catch {
    id = undefined;
  }
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(m[3] ?? '')) if (v !== '') params[k] = v;
  return { page, ...(id !== undefined && ID.test(id) ? { id } : {}), params };
}

export function hrefOf(r: { page: PageName; id?: string | undefined; params?: Readonly<Record<string, string | undefined>> }): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(r.params ?? {})) if (v !== undefined && v !== '') q.set(k, v);
  const qs = q.toString();
  return `#/${r.page}${r.id !== undefined ? `/${encodeURIComponent(r.id)}` : ''}${qs ? `?${qs}` : ''}`;
}

export function sameRoute(a: Route, b: Route): boolean {
  return hrefOf(a) === hrefOf(b);
}
