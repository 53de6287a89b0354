// Waiting on real processes and servers: poll a condition until it holds or a deadline passes
// (never a fixed sleep: the wait ends as soon as the condition is met).

export async function pollUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string | (() => string), intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
