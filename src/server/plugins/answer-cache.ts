import { createHash } from 'node:crypto';
import { getOperationAST, print, printSchema, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { isAsyncIterable, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import { entryOf } from '../../kernel/memo.ts';
import type { Context } from '../../schema/context.ts';
import type { AnswerStore, ListedRows, StoredAnswer } from '../../sources/cache/answers.ts';
import { answerKey, type CredentialFingerprint } from '../../sources/cache/keys.ts';
import { lru } from '../../sources/cache/lru.ts';
import type { Ledger } from '../../sources/report/models.ts';
import { mayRead, type Caller } from '../../tenancy/caller.ts';

/**
 * Whole answers of documents that read only closed dates, kept and answered again without
 * executing. Closed dates never change, so such an answer is kept for good. What it read of the
 * ledger list (grants and ledger details change) is read again for every request it answers:
 * the caller's grant must still cover every ledger it names, and those ledgers (or the whole
 * list, where it read the list) must read as they did when it was made; else it executes again.
 *
 * Whether an answer may be kept is decided from what the request actually read, as its loaders
 * report it through the read gate (`ReadLasting`): not from the document. The same document
 * reads a closed date today and an open one when asked about yesterday; a field's reads depend
 * on arguments, on what an earlier read found (the next date of a sale's booking window) and
 * on the mirror, so no reading of the document can tell in advance. An answer with an error, a
 * read refused outside the grant, an open date, a feed, a lookup or an answer about "now" is
 * never kept.
 *
 * The key names the upstream credential (its fingerprint, as every key of upstream data), the
 * document, its variables, and the caller: tenant,
 * credential (an API key's digest, a JWT's subject), roles, ledgers and key set. A tenant's
 * answers are never served to another tenant, nor to a caller with other roles (a caller
 * without `personal-data` never sees an answer that holds payers' names).
 *
 * Concurrent requests of the same key in one process execute once (a single flight): the first
 * executes, the others wait for its answer and are answered from it when it could be kept.
 *
 * Only execution is skipped: it sits after every other plugin's `onExecute`, so the rate limits,
 * the access line, authentication and the document checks (trusted documents, depth, aliases,
 * cost) all run for an answer served from here as for any other.
 *
 * Our own rather than `@envelop/response-cache`: that plugin decides what to keep from the
 * result and per-type TTLs, where this needs what the request read (only its context knows),
 * and it rewrites documents (adding `__typename`) that the cost and document checks have seen.
 */

export interface AnswerCacheOptions {
  store: AnswerStore;
  /** The gateway's release (its package version): part of every key. */
  release: string;
  /** The fingerprint of the upstream credential the caller's reads use. */
  upstreamOf(caller: Caller): CredentialFingerprint;
}

/**
 * What a kept answer is served as. Yoga hands what `stringify` gives to `new Response()`, which
 * takes bytes as readily as a string: the kept bytes go to the socket as they are, never
 * serialised or UTF-8 encoded again (encoding 128 KiB was a tenth of a kept answer's CPU).
 */
class KeptResult implements ExecutionResult {
  #data: ExecutionResult['data'] | undefined;

  constructor(private readonly kept: StoredAnswer) {}

  /** Only a plugin that looks into the answer parses it. */
  get data(): ExecutionResult['data'] {
    return (this.#data ??= (JSON.parse(this.kept.bytes.toString('utf8')) as ExecutionResult).data);
  }

  readonly stringify = (): string => this.kept.bytes as unknown as string;
}

/** Whether a result is a kept answer, not an execution (for the access line). */
export function isKeptAnswer(result: unknown): boolean {
  return result instanceof KeptResult;
}

const schemaIds = new WeakMap<GraphQLSchema, string>();

/**
 * Answers kept for good outlive a release: one whose schema differs never reads them. A release
 * that changes what a field answers without changing the schema changes `release` (the
 * package version) or empties the answers.
 */
function schemaId(schema: GraphQLSchema, release: string): string {
  return entryOf(schemaIds, schema, () => sha256(`${release}\u0000${printSchema(schema)}`));
}

const documentIds = new WeakMap<DocumentNode, string>();

/** Yoga's parse cache hands the same document object for the same text: hashed once. */
function documentId(document: DocumentNode): string {
  return entryOf(documentIds, document, () => sha256(print(document)));
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** JSON with object keys sorted: the same variables in another order are the same answer. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const bearer = /^Bearer[ \t]+(\S+)/i;

/** Which credential: an API key by its digest, a JWT by its subject (its tenant, ledgers and roles are in the caller). */
function credentialOf(request: Request, caller: Caller): string {
  if (caller.via === 'api-key') return `key:${sha256(bearer.exec(request.headers.get('authorization') ?? '')?.[1] ?? '')}`;
  if (caller.via === 'jwt') return `jwt:${caller.subject ?? ''}`;
  return 'open';
}

function callerParts(caller: Caller): unknown[] {
  return [caller.tenantId, caller.via, [...caller.roles].sort(), caller.ledgers === '*' ? '*' : [...caller.ledgers].sort(), caller.keySet];
}

function mayKeep(result: ExecutionResult, context: Context): boolean {
  if ((result.errors?.length ?? 0) > 0) return false;
  if (result.extensions !== undefined && Object.keys(result.extensions).length > 0) return false;
  return context.reads.refused === 0 && context.reads.lasting.lasting === 'for good';
}

/** A ledger's row digest; the list's rows are the same decoded objects while it is cached, so each is hashed once, not on every hit. */
const rowDigests = new WeakMap<Ledger, string>();

function rowDigest(row: Ledger | null): string {
  return row === null ? 'null' : entryOf(rowDigests, row, () => sha256(JSON.stringify(row)));
}

/**
 * What the request's loaders now read of the ledger list (through the caller's grant, from the
 * cached list): the rows of these ledgers, or the whole visible list. Null when it cannot be read.
 */
async function listedDigest(ledgers: ListedRows['ledgers'], context: Context): Promise<string | null> {
  try {
    const rows = ledgers === '*' ? await context.report.ledgers.load('') : await context.report.ledger.loadMany(ledgers);
    if (rows.some((row) => row instanceof Error)) return null;
    const digests = (rows as Array<Ledger | null>).map(rowDigest);
    return digests.length === 1 ? (digests[0] as string) : sha256(digests.join('\n'));
  } catch {
    return null;
  }
}

/** Whether a kept answer may answer this request: the grant covers what it names, and the ledgers it read read the same. */
async function stillHolds(kept: StoredAnswer, context: Context): Promise<boolean> {
  if (!kept.ledgers.every((ledgerId) => mayRead(context.caller, ledgerId))) return false;
  if (kept.listed === null) return true;
  return (await listedDigest(kept.listed.ledgers, context)) === kept.listed.digest;
}

/** What of the ledger list an execution read, as a digest to check later hits against. */
async function listedBy(context: Context): Promise<ListedRows | null | undefined> {
  const listed = context.reads.lasting.listed;
  if (listed === null) return null;
  const ledgers = listed === '*' ? '*' : [...listed].sort();
  const digest = await listedDigest(ledgers, context);
  return digest === null ? undefined : { ledgers, digest };
}

/** Keys whose answer could not be kept, remembered so that their concurrent requests execute side by side rather than wait for each other. */
const unkeptKeys = 10_000;

export function useAnswerCache(options: AnswerCacheOptions): Plugin<YogaInitialContext & Context> {
  const flights = new Map<string, Promise<StoredAnswer | null>>();
  const unkept = lru<true>({ maxWeight: unkeptKeys, weigh: () => 1 });
  return {
    async onExecute({ args, executeFn, setExecuteFn, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'query') return;
      const context = args.contextValue;
      const { caller, request } = context;
      const upstream = options.upstreamOf(caller);
      const digest = sha256(
        canonical([schemaId(args.schema, options.release), documentId(args.document), args.operationName ?? null, args.variableValues ?? {}, credentialOf(request, caller), ...callerParts(caller)]),
      );
      const serve = (kept: StoredAnswer) => {
        // The access line names what the answer holds, as when it was read.
        for (const ledgerId of kept.ledgers) context.reads.ledgers.add(ledgerId);
        for (const date of kept.dates) context.reads.dates.add(date);
        setResultAndStopExecution(new KeptResult(kept));
      };
      const kept = await options.store.get(upstream, digest);
      if (kept !== null && (await stillHolds(kept, context))) return serve(kept);

      const key = answerKey(upstream, digest);
      const flight = flights.get(key);
      let settle: ((answer: StoredAnswer | null) => void) | undefined;
      if (flight !== undefined) {
        const made = await flight;
        if (made !== null && (await stillHolds(made, context))) return serve(made);
      } else if (!unkept.has(key)) {
        // This request leads: the same key's requests until it is done wait for its answer.
        const done = lead(flights, key);
        settle = done;
        setExecuteFn(async (executionArgs) => {
          try {
            return await executeFn(executionArgs);
          } finally {
            // Where the execution failed or its answer never came to `onExecuteDone`, the others stop waiting.
            setImmediate(() => done(null));
          }
        });
      }
      return {
        async onExecuteDone({ result }) {
          const answer = isAsyncIterable(result) ? null : await answerOf(result, context);
          settle?.(answer);
          if (answer === null) {
            unkept.set(key, true);
            return;
          }
          unkept.delete(key);
          await options.store.set(upstream, digest, answer);
        },
      };
    },
  };
}

/** Opens a flight under `key`; what it returns settles it (once: later calls do nothing) and closes it. */
function lead(flights: Map<string, Promise<StoredAnswer | null>>, key: string): (answer: StoredAnswer | null) => void {
  let resolve!: (answer: StoredAnswer | null) => void;
  const led = new Promise<StoredAnswer | null>((settle) => {
    resolve = settle;
  });
  flights.set(key, led);
  return (answer) => {
    if (flights.get(key) === led) flights.delete(key);
    resolve(answer);
  };
}

/** The answer to keep of an execution; null when it may not be kept. */
async function answerOf(result: ExecutionResult, context: Context): Promise<StoredAnswer | null> {
  if (!mayKeep(result, context)) return null;
  const listed = await listedBy(context);
  if (listed === undefined) return null;
  // The bytes Yoga sends: graphql-jit's compiled serialiser where it gave one.
  const stringify = (result as { stringify?: (value: unknown) => string }).stringify ?? JSON.stringify;
  return { bytes: Buffer.from(stringify(result), 'utf8'), ledgers: [...context.reads.ledgers], dates: [...context.reads.dates], listed };
}
