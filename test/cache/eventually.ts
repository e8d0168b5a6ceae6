import { setTimeout as sleep } from 'node:timers/promises';

/** Polls until `check` holds; fails with `what` when it still does not after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error(`${what} did not hold within ${timeoutMs} ms`);
}
