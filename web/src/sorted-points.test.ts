import { describe, expect, it } from 'vitest';
import { insertPoint, pruneWindow, type Point } from './sorted-points';

describe('sorted chart points', () => {
  it('appends in order, inserts late points in place, replaces a repeated time', () => {
    const pts: Point[] = [];
    for (const p of [[10, 1], [30, 3], [20, 2], [5, 0], [30, 9], [40, 4]] as Point[]) insertPoint(pts, p);
    expect(pts).toEqual([[5, 0], [10, 1], [20, 2], [30, 9], [40, 4]]);
  });
  it('drops points older than the window before the newest', () => {
    const pts: Point[] = [[0, 0], [50, 1], [100, 2], [160, 3]];
    pruneWindow(pts, 100);
    expect(pts).toEqual([[100, 2], [160, 3]]);
    const empty: Point[] = [];
    pruneWindow(empty, 100);
    expect(empty).toEqual([]);
  });
});
