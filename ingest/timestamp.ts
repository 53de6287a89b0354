// Event timestamps of contract v1: ISO-8601 date-time with a UTC offset, or epoch milliseconds.
// Parsed by hand: Date.parse accepts 2024-02-30 (as 1 March) and offset-less local times, and
// an offset-less time is ambiguous here (sensors in Asia/Shanghai, servers often in UTC).

// Compiled once: YYYY-MM-DD[T ]hh:mm[:ss[.fraction]](Z|±hh[:]mm)
const ISO = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;
const HAS_DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export type TimestampResult =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly code: 'TIMESTAMP_INVALID'; readonly reason: string };

function fail(reason: string): TimestampResult {
  return { ok: false, code: 'TIMESTAMP_INVALID', reason };
}

/** Epoch milliseconds of `ts`, or why it cannot be read. Range checks are the caller's. */
export function parseTimestamp(ts: string | number): TimestampResult {
  if (typeof ts === 'number') {
    if (!Number.isFinite(ts)) return fail(`ts ${String(ts)} is not a finite number of epoch milliseconds`);
    return { ok: true, ms: Math.round(ts) };
  }
  const m = ISO.exec(ts);
  if (!m) {
    if (HAS_DATE_TIME.test(ts) && !/([Zz]|[+-]\d{2}:?\d{2})$/.test(ts)) {
      return fail(`ts ${JSON.stringify(ts)} has no UTC offset: add Z or +08:00`);
    }
    return fail(`ts ${JSON.stringify(ts)} is not an ISO-8601 date-time with offset (e.g. 2025-01-15T08:00:00+08:00)`);
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const dim = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > dim || hour > 23 || minute > 59 || second > 59) {
    return fail(`ts ${JSON.stringify(ts)} is not a real date-time`);
  }
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  let offsetMin = 0;
  if (m[8] === undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return fail(`ts ${JSON.stringify(ts)} has an impossible UTC offset`);
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return { ok: true, ms: Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000 };
}
