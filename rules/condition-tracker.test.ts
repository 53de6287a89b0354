import { describe, expect, it } from 'vitest';
import { FALSE, TRUE, UNKNOWN } from './compile-condition';
import { newTracker, noteActivation, stepOff, stepOn } from './condition-tracker';

const M = 60_000;

describe('condition tracker', () => {
  it('activates only after the condition held for the whole duration', () => {
    const tr = newTracker();
    expect(stepOff(tr, 0, TRUE, 10 * M)).toBe('none');
    expect(tr.phase).toBe('pending');
    expect(stepOff(tr, 9 * M, TRUE, 10 * M)).toBe('none');
    expect(stepOff(tr, 10 * M, TRUE, 10 * M)).toBe('activate');
    expect(tr.firedFrom).toBe(0);
  });

  it('restarts the duration when the condition lapses or becomes unknown', () => {
    const tr = newTracker();
    stepOff(tr, 0, TRUE, 10 * M);
    stepOff(tr, 5 * M, UNKNOWN, 10 * M);
    expect(tr.phase).toBe('idle');
    stepOff(tr, 6 * M, TRUE, 10 * M);
    expect(stepOff(tr, 15 * M, TRUE, 10 * M)).toBe('none');
    expect(stepOff(tr, 16 * M, TRUE, 10 * M)).toBe('activate');
  });

  it('fires at once with a zero duration', () => {
    expect(stepOff(newTracker(), 0, TRUE, 0)).toBe('activate');
    expect(stepOff(newTracker(), 0, FALSE, 0)).toBe('none');
  });

  it('returns to normal only after the release held for clearFor; unknown never releases', () => {
    const tr = newTracker();
    stepOff(tr, 0, TRUE, 0);
    expect(stepOn(tr, M, TRUE, 5 * M)).toBe('none');
    expect(tr.phase).toBe('clearing');
    expect(stepOn(tr, 3 * M, FALSE, 5 * M)).toBe('none');
    expect(tr.phase).toBe('firing');
    expect(stepOn(tr, 4 * M, TRUE, 5 * M)).toBe('none');
    expect(stepOn(tr, 8 * M, UNKNOWN, 5 * M)).toBe('none');
    expect(stepOn(tr, 9 * M, TRUE, 5 * M)).toBe('deactivate');
    expect(tr.phase).toBe('idle');
  });

  it('counts activations within the chatter window and keeps a bounded list', () => {
    const tr = newTracker();
    expect(noteActivation(tr, 0, 10 * M, 3)).toBe(1);
    expect(noteActivation(tr, 4 * M, 10 * M, 3)).toBe(2);
    expect(noteActivation(tr, 8 * M, 10 * M, 3)).toBe(3);
    expect(noteActivation(tr, 20 * M, 10 * M, 3)).toBe(1);
    expect(tr.activations).toHaveLength(3);
  });
});
