// When the hotline received a ticket, as exports and clients write it: epoch ms, ISO-8601 with
// a zone, or local wall time in Asia/Shanghai ("2024-12-03 08:15:00", "2024/12/3 8:15",
// "2024年12月3日 8时15分"). China has had no daylight saving since 1991: local time is UTC+8.

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const ISO_ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：时点](\d{1,2})(?:[:：分](\d{1,2})(?:\.\d{1,3})?秒?)?分?)?$/u;
/** Plausible receipt times: from 2000 to 2100. */
const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2100, 0, 1);

/** Epoch ms, or undefined when the value is not a time this accepts. */
export function parseReceivedAt(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= MIN_MS && v < MAX_MS ? v : undefined;
  const s = v.trim();
  if (/^\d{12,13}$/.test(s)) return parseReceivedAt(Number(s));
  if (ISO_ZONED.test(s)) {
    const t = Date.parse(s);
    return Number.isNaN(t) ? undefined : parseReceivedAt(t);
  }
  const m = LOCAL.exec(s);
  if (m === null) return undefined;
  const [y, mo, d, h = '0', mi = '0', se = '0'] = m.slice(1).map((x) => x ?? '0') as string[];
  return shanghaiWallTime(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(se));
}

/** Epoch ms of a Shanghai wall-clock time, or undefined when a field is out of range (31 February). */
export function shanghaiWallTime(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return undefined;
  return parseReceivedAt(utc - SHANGHAI_OFFSET_MS);
}

/** "YYYY-MM-DD HH:mm:ss" in Shanghai time, as hotline exports write it. */
export function formatShanghai(t: number): string {
  const d = new Date(t + SHANGHAI_OFFSET_MS);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/**
 * An Excel date serial (days since 1899-12-30, or since 1904-01-01 in 1904-system workbooks) read
 * as Shanghai wall time, to the second.
 */
export function excelSerialToMs(serial: number, date1904 = false): number | undefined {
  if (!Number.isFinite(serial) || serial <= 0) return undefined;
  const days = serial + (date1904 ? 1462 : 0);
  const wall = Math.round((days - 25569) * 86_400) * 1000;
  return parseReceivedAt(wall - SHANGHAI_OFFSET_MS);
}
