import type { Page } from 'playwright-core';
import { testNow } from '../../test/support/clock.ts';
import { startTestEmulator } from '../../test/support/emulator.ts';
import { startPortalWorld, type PortalWorld } from '../../test/portal/world.ts';
import type { BenchContext, Row } from '../lib/scenario.ts';

export const name = 'portal';
export const description =
  'The partner portal in headless Chromium: time from sign-in to a rendered day (cold and warm cache), bytes transferred, GraphQL requests per view';

/** Sign-ins measured per cache state; each cold one opens on a date no one has read yet. */
const rounds = 5;
const day = 86_400_000;

interface Visit {
  milliseconds: number;
  graphqlPosts: number;
  /** The ledger list's and the day's GraphQL requests, each from sending to the answer's last byte. */
  signInMilliseconds: number;
  ledgersAnswerMilliseconds: number;
  dayAnswerMilliseconds: number;
  pageBytes: number;
  graphqlBytes: number;
}

/** Signs in on a fresh page whose clock opens the day view on `yesterday` of `now`, and times the day's rendering. */
async function signInToDay(world: PortalWorld, now: number, then?: (page: Page) => Promise<void>): Promise<Visit> {
  const page = await world.chromium.context.newPage();
  await page.clock.setFixedTime(now);
  const requests: import('playwright-core').Request[] = [];
  page.on('requestfinished', (request) => requests.push(request));
  await page.goto(`${world.portal.origin}/`);
  await page.locator('button[data-merchant="kafe"]').waitFor();
  // Clicked and watched from inside the page: a locator's polling would add its own intervals.
  const started = performance.now();
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        new MutationObserver((_records, observer) => {
          if (document.querySelector('[data-section="totals"][data-state="ready"]') === null) return;
          observer.disconnect();
          resolve();
        }).observe(document.body, { childList: true, subtree: true });
        document.querySelector<HTMLButtonElement>('button[data-merchant="kafe"]')?.click();
      }),
  );
  const milliseconds = performance.now() - started;
  await then?.(page);
  const sized = await Promise.all(requests.map(async (request) => ({ request, sizes: await request.sizes() })));
  await page.close();
  const toGateway = sized.filter(({ request }) => request.url().startsWith(world.gatewayUrl));
  const bytes = (list: typeof sized) => list.reduce((total, { sizes }) => total + sizes.responseBodySize + sizes.responseHeadersSize, 0);
  return {
    milliseconds,
    graphqlPosts: toGateway.filter(({ request }) => request.method() === 'POST').length,
    signInMilliseconds: sized.find(({ request }) => request.url().endsWith('/sign-in'))?.request.timing().responseEnd ?? NaN,
    ledgersAnswerMilliseconds: toGateway.filter(({ request }) => request.method() === 'POST').at(0)?.request.timing().responseEnd ?? NaN,
    dayAnswerMilliseconds: toGateway.filter(({ request }) => request.method() === 'POST').at(-1)?.request.timing().responseEnd ?? NaN,
    pageBytes: bytes(sized.filter(({ request }) => !request.url().startsWith(world.gatewayUrl))),
    graphqlBytes: bytes(toGateway),
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

export async function run(context: BenchContext): Promise<Row[]> {
  const emulator = await startTestEmulator();
  const world = await startPortalWorld(emulator);
  try {
    const cold: Visit[] = [];
    const warm: Visit[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const now = Date.parse(testNow) - round * day;
      context.progress(`round ${round + 1} of ${rounds}`);
      cold.push(await signInToDay(world, now));
      warm.push(await signInToDay(world, now));
    }
    // Each view after the first: one click, its requests counted.
    const perView: Row[] = [];
    await signInToDay(world, Date.parse(testNow), async (page) => {
      for (const view of ['payouts', 'reconciliation', 'day'] as const) {
        let posts = 0;
        const count = (request: import('playwright-core').Request) => {
          if (request.url().startsWith(world.gatewayUrl) && request.method() === 'POST') posts += 1;
        };
        page.on('request', count);
        await page.locator(`a[data-view="${view}"]`).click();
        await page.locator(`[data-section="${view === 'day' ? 'totals' : view}"]:not([data-state="loading"])`).waitFor({ timeout: 60_000 });
        page.off('request', count);
        perView.push({ measure: `GraphQL requests: ${view} view, after the first`, value: posts });
      }
    });
    context.note(`median of ${rounds} sign-ins each; the gateway and the emulator run in the benchmark's process, Chromium beside it`);
    const first = cold[0]!;
    return [
      { measure: 'sign-in to rendered day, cold cache (ms)', value: Math.round(median(cold.map((visit) => visit.milliseconds))) },
      { measure: 'sign-in to rendered day, warm cache (ms)', value: Math.round(median(warm.map((visit) => visit.milliseconds))) },
      { measure: 'GraphQL requests: sign-in to day (ledgers, day)', value: first.graphqlPosts },
      { measure: 'of which the sign-in request (ms)', value: Math.round(median([...cold, ...warm].map((visit) => visit.signInMilliseconds))) },
      { measure: 'of which the ledger list request, cold (ms)', value: Math.round(median(cold.map((visit) => visit.ledgersAnswerMilliseconds))) },
      { measure: 'of which the ledger list request, warm (ms)', value: Math.round(median(warm.map((visit) => visit.ledgersAnswerMilliseconds))) },
      { measure: "of which the day view's request, cold (ms)", value: Math.round(median(cold.map((visit) => visit.dayAnswerMilliseconds))) },
      { measure: "of which the day view's request, warm (ms)", value: Math.round(median(warm.map((visit) => visit.dayAnswerMilliseconds))) },
      ...perView,
      { measure: 'bytes transferred: page, config and sign-in', value: first.pageBytes },
      { measure: 'bytes transferred: GraphQL answers of sign-in to day', value: first.graphqlBytes },
    ];
  } finally {
    await world.close();
    await emulator.close();
  }
}
