// Timers as a port, so the writer's flush interval and retry backoff run on fake time in tests.
// The default looks the global functions up on each call, so vitest's fake timers also apply.

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const systemTimers: Timers = {
  set(fn, ms) {
    const h = globalThis.setTimeout(fn, ms);
    // A pending flush must not keep a finished process alive; the servers do that.
    if (typeof h === 'object' && h !== null && 'unref' in h) h.unref();
    return h;
  },
  clear(h) {
    globalThis.clearTimeout(h as ReturnType<typeof setTimeout>);
  },
};
