import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import type { Config } from '../../config.ts';
import { Deadline, withDeadline } from '../../sources/http/resilience/index.ts';

const deadlineHeader = 'x-request-timeout-ms';

/** The configured deadline, or the caller's shorter or longer one, capped by the configuration. */
export function deadlineOf(request: Request, limits: Config['limits']): Deadline {
  const asked = request.headers.get(deadlineHeader);
  const askedMs = asked !== null && /^\d{1,9}$/.test(asked.trim()) ? Number(asked.trim()) : 0;
  const ms = askedMs > 0 ? Math.min(askedMs, limits.maxRequestDeadlineMs) : limits.requestDeadlineMs;
  return Deadline.after(ms, { cancelledBy: request.signal });
}

/**
 * Executes each operation under its request's deadline: every upstream call, retry and wait
 * made for it gives up when the deadline passes, and the answer carries what was known by then.
 */
export function useDeadline(limits: Config['limits']): Plugin<YogaInitialContext> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const deadline = deadlineOf(args.contextValue.request, limits);
      setExecuteFn((execution) => withDeadline(deadline, () => executeFn(execution)));
      return { onExecuteDone: () => deadline.dispose() };
    },
  };
}
