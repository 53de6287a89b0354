// The heating season (Jiayuguan: regulation start 1 November, started 15 October in the
// reported year, runs to about the end of March). Rules marked `season: true` only judge
// inside it. Dates are local (UTC+8, no daylight saving in China); answers are cached per day.

export interface SeasonSpec {
  /** First day, "MM-DD", local. */
  readonly start: string;
  /** Last day, "MM-DD", local (may be in the next year). */
  readonly end: string;
  readonly utcOffsetMinutes: number;
}

export const DEFAULT_SEASON: SeasonSpec = { start: '10-15', end: '04-05', utcOffsetMinutes: 480 };

const MD = /^(\d\d)-(\d\d)$/;
const DAY_MS = 86_400_000;

function monthDay(text: string): number {
  const m = MD.exec(text);
  if (m === null) throw new Error(`season day must be MM-DD, not ${text}`);
  return Number(m[1]) * 100 + Number(m[2]);
}

export function createSeasonCheck(spec: SeasonSpec = DEFAULT_SEASON): (t: number) => boolean {
  const start = monthDay(spec.start);
  const end = monthDay(spec.end);
  const offset = spec.utcOffsetMinutes * 60_000;
  const cache = new Map<number, boolean>();
  return (t) => {
    const day = Math.floor((t + offset) / DAY_MS);
    const hit = cache.get(day);
    if (hit !== undefined) return hit;
    const d = new Date(day * DAY_MS);
    const md = (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
    const inside = start <= end ? md >= start && md <= end : md >= start || md <= end;
    if (cache.size > 800) cache.clear();
    cache.set(day, inside);
    return inside;
  };
}
