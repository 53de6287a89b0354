// Chart points kept ascending by time: live readings usually arrive in order, but a late one
// (a backlog after a reconnect) must land in its place, and a repeated time replaces the value.

export type Point = [number, number];

export function insertPoint(points: Point[], p: Point): void {
  const last = points[points.length - 1];
  if (last === undefined || last[0] < p[0]) {
    points.push(p);
    return;
  }
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((points[mid] as Point)[0] < p[0]) lo = mid + 1;
    else hi = mid;
  }
  if (points[lo]?.[0] === p[0]) points[lo] = p;
  else points.splice(lo, 0, p);
}

/** Drop points older than `windowMs` before the newest one. */
export function pruneWindow(points: Point[], windowMs: number): void {
  const newest = points[points.length - 1]?.[0];
  if (newest === undefined) return;
  let cut = 0;
  while (cut < points.length && (points[cut] as Point)[0] < newest - windowMs) cut++;
  if (cut > 0) points.splice(0, cut);
}
