// Times in the network's zone (Asia/Shanghai), whatever the browser's own zone is;
// numbers with the precision their unit deserves.

let zone = 'Asia/Shanghai';

export function setTimeZone(tz: string): void {
  zone = tz;
  cache.clear();
}

const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(key: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = cache.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('zh-CN', { timeZone: zone, hourCycle: 'h23', ...opts });
    cache.set(key, f);
  }
  return f;
}

/** 14:05:09 */
export function timeOfDay(t: number): string {
  return fmt('hms', { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(t);
}

/** 14:05 */
export function hourMinute(t: number): string {
  return fmt('hm', { hour: '2-digit', minute: '2-digit' }).format(t);
}

/** 01-15 14:05 */
export function dateTime(t: number): string {
  const parts = fmt('mdhm', { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(t);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** 2025-01-15 */
export function date(t: number): string {
  const parts = fmt('ymd', { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(t);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const DECIMALS: Record<string, number> = { '°C': 1, 'm³/h': 1, MPa: 2, kPa: 0, '%': 0, Hz: 1, GJ: 1 };

export function numberIn(unit: string, v: number): string {
  return v.toFixed(DECIMALS[unit] ?? 2);
}

/** 01-15 */
export function monthDay(t: number): string {
  return dateTime(t).slice(0, 5);
}

/**
 * How far the network's wall clock is ahead of UTC at `t`, ms (+8 h for Asia/Shanghai, which has
 * no daylight saving). Charts shift their time axis by it so that ticks fall on local hours and
 * midnights whatever zone the browser is in.
 */
export function zoneOffsetMs(t: number): number {
  const parts = fmt('offset', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(t);
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? '0');
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - (t - (t % 1000));
}

/** Start of the local day (in the network's zone) containing `t`. */
export function startOfDay(t: number): number {
  const off = zoneOffsetMs(t);
  return Math.floor((t + off) / 86_400_000) * 86_400_000 - off;
}
