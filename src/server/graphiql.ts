import { setTimeout as sleep } from 'node:timers/promises';
import type { GraphiQLOptions } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { addDays } from '../kernel/calendar.ts';
import type { Logger } from '../logger.ts';
import type { Upstream } from '../sources/index.ts';
import { Deadline, withDeadline } from '../sources/http/resilience/index.ts';

/**
 * GraphiQL as the gateway serves it: the whole editor inside the page (no CDN, so it works
 * offline and behind an egress firewall), opening on one ledger day's sales joined with what
 * the Report API booked for them, on a ledger and date where that query answers in full.
 */

const title = 'Vipps MobilePay Reporting Gateway';

const query = `# One ledger day: what was sold (Sales API), joined on pspReference with
# what happened to the money (Report API). Change the variables below.
query LedgerDay($ledgerId: String!, $date: Date!) {
  ledger(id: $ledgerId) {
    __typename
    ... on NotFoundError { message }
    ... on Ledger {
      ledgerId
      currency
      salesUnits { name recipientHandle }
      sales(date: $date, first: 10) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges {
          node {
            time
            reference
            pspReference
            solution
            paymentType
            gross { decimal currency }
            orderLines { name quantity lineTotalGross { decimal } vatRate { percent } }
            captures { ledgerDate amount { decimal } }
            fees { ledgerDate amount { decimal } }
            settlement { status ledgerDate }
          }
        }
      }
    }
  }
}
`;

export interface Example {
  ledgerId: string;
  date: string;
}

/** The example tab; without a found example, a placeholder the reader fills in. */
export function exampleQuery(example: Example | undefined, now = Date.now()): { query: string; variables: string } {
  const variables = example ?? {
    ledgerId: 'your ledgerId (see Query.ledgers)',
    // A ledger's cut-off can keep yesterday open into this morning; the day before is closed.
    date: addDays(new Date(now).toISOString().slice(0, 10), -2),
  };
  return { query, variables: JSON.stringify(variables, null, 2) };
}

/** How long a found example is shown before a newer closed date is looked for. */
const refreshMs = 60 * 60_000;
/** How soon a search that found nothing (or failed) is tried again. */
const retryMs = 60_000;
/** The whole search, every upstream call and retry in it. */
const searchDeadlineMs = 10_000;
/** How long a page load waits for a search under way before it opens on the placeholder. */
const pageWaitMs = 3_000;
/** Dates tried per ledger, newest first: an open date, a day without sales or two. */
const datesPerLedger = 7;
const ledgersTried = 3;

export interface GraphiqlDeps {
  upstream: Upstream;
  logger: Logger;
  /** The upstream's now: the embedded emulator's fixed clock, else the real time. */
  now?: () => number;
  /**
   * Whether to look up a ledger and date for the first tab. The page is served to anyone who
   * can reach it, so only where every caller may see every granted ledger (open mode); with
   * tenants the tab opens on a placeholder.
   */
  lookUpExample: boolean;
}

/** Yoga's `graphiql` and `renderGraphiQL` options. */
export function graphiql(deps: GraphiqlDeps): {
  options: () => Promise<GraphiQLOptions>;
  render: (options: GraphiQLOptions) => Promise<string>;
} {
  const now = deps.now ?? Date.now;
  // One search at a time however many pages load; the last example stays while a newer one is
  // looked for, and after a failed search.
  const examples = new LRUCache<'example', { example: Example | null }>({
    max: 1,
    ttl: refreshMs,
    allowStale: true,
    fetchMethod: async (_key, stale, { options }) => {
      const missing = 'graphiql: no example ledger day found; the first tab shows a placeholder';
      try {
        const example = await findExample(deps.upstream, now());
        if (example !== null) {
          deps.logger.info('graphiql: example ledger day', { ...example });
          return { example };
        }
        deps.logger.warn(missing, { reason: 'no granted ledger with Sales data has sales on a recent closed date' });
      } catch (error) {
        deps.logger.warn(missing, { error });
      }
      options.ttl = retryMs;
      return stale ?? { example: null };
    },
  });

  return {
    options: async () => {
      const found = deps.lookUpExample ? await Promise.race([examples.fetch('example'), sleep(pageWaitMs, undefined, { ref: false })]) : undefined;
      const tab = exampleQuery(found?.example ?? undefined, now());
      // GraphiQL 5 fills the variables editor from `initialVariables` only, never from the first
      // default tab; Yoga's page hands it `variables`, which its options type leaves out.
      const options: GraphiQLOptions & { variables: string } = { title, defaultTabs: [tab], variables: tab.variables };
      return options;
    },
    // The editor is 9 MB of JavaScript that stays in memory once imported (about 50 MB of RSS):
    // only a gateway whose GraphiQL is opened pays for it.
    render: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
  };
}

/**
 * The newest closed date with sales of a granted ledger that has Sales data, read through the
 * cached clients: the dates it reads are the ones the example query reads first. An `api:`
 * (ePayment) sales unit has Report data only. Null when none is found within a few dates.
 */
async function findExample(upstream: Upstream, nowMs: number): Promise<Example | null> {
  const deadline = Deadline.after(searchDeadlineMs);
  try {
    return await withDeadline(deadline, async () => {
      const ledgers = await upstream.report.ledgers();
      const withSales = ledgers.filter((ledger) => ledger.salesUnits.some((unit) => !unit.recipientHandle.startsWith('api:')));
      // Ledger dates run ahead of UTC in every Vipps MobilePay country: the UTC date is the
      // newest that can be closed.
      const today = new Date(nowMs).toISOString().slice(0, 10);
      for (const { ledgerId } of withSales.slice(0, ledgersTried)) {
        for (let back = 0; back < datesPerLedger; back += 1) {
          const date = addDays(today, -back);
          if (!(await upstream.report.forDate(ledgerId, 'funds', date)).isClosed) continue;
          if ((await upstream.sales.forDate(ledgerId, date)).length > 0) return { ledgerId, date };
        }
      }
      return null;
    });
  } finally {
    deadline.dispose();
  }
}
