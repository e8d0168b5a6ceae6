import { createHash } from 'node:crypto';
import { getOperationAST, print, printSchema, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { isAsyncIterable, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import type { Context } from '../../schema/context.ts';
import type { AnswerStore, StoredAnswer } from '../../sources/cache/answers.ts';
import type { CredentialFingerprint } from '../../sources/cache/keys.ts';
import type { Caller } from '../../tenancy/caller.ts';

/**
 * Whole answers of documents that read only closed dates, kept and answered again without
 * executing. Closed dates never change, so such an answer is kept for good; one that also read
 * the ledger list (grants and ledger details change) for as long as the list itself is kept.
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
  /** How long an answer that read the ledger list is kept (the list's own TTL). */
  briefSeconds: number;
  /** The gateway's release (its package version): part of every key. */
  release: string;
  /** The fingerprint of the upstream credential the caller's reads use. */
  upstreamOf(caller: Caller): CredentialFingerprint;
}

/** What a kept answer is served as: Yoga writes what `stringify` gives, so the answer is never serialised again. */
class KeptResult implements ExecutionResult {
  #data: ExecutionResult['data'] | undefined;

  constructor(private readonly kept: StoredAnswer) {}

  /** Only a plugin that looks into the answer parses it. */
  get data(): ExecutionResult['data'] {
    return (this.#data ??= (JSON.parse(this.kept.text) as ExecutionResult).data);
  }

  readonly stringify = (): string => this.kept.text;
}

const schemaIds = new WeakMap<GraphQLSchema, string>();

/**
 * Answers kept for good outlive a release: one whose schema differs never reads them. A release
 * that changes what a field answers without changing the schema changes `release` (the
 * package version) or empties the answers.
 */
function schemaId(schema: GraphQLSchema, release: string): string {
  let id = schemaIds.get(schema);
  if (id === undefined) {
    id = sha256(`${release}\u0000${printSchema(schema)}`);
    schemaIds.set(schema, id);
  }
  return id;
}

const documentIds = new WeakMap<DocumentNode, string>();

/** Yoga's parse cache hands the same document object for the same text: hashed once. */
function documentId(document: DocumentNode): string {
  let id = documentIds.get(document);
  if (id === undefined) {
    id = sha256(print(document));
    documentIds.set(document, id);
  }
  return id;
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

function keptFor(result: ExecutionResult, context: Context): 'for good' | 'briefly' | null {
  if ((result.errors?.length ?? 0) > 0) return null;
  if (result.extensions !== undefined && Object.keys(result.extensions).length > 0) return null;
  if (context.reads.refused > 0) return null;
  const lasting = context.reads.lasting.lasting;
  return lasting === 'changing' ? null : lasting;
}

export function useAnswerCache(options: AnswerCacheOptions): Plugin<YogaInitialContext & Context> {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'query') return;
      const context = args.contextValue;
      const { caller, request } = context;
      const upstream = options.upstreamOf(caller);
      const digest = sha256(
        canonical([schemaId(args.schema, options.release), documentId(args.document), args.operationName ?? null, args.variableValues ?? {}, credentialOf(request, caller), ...callerParts(caller)]),
      );
      const kept = await options.store.get(upstream, digest);
      if (kept !== null) {
        // The access line names what the answer holds, as when it was read.
        for (const ledgerId of kept.ledgers) context.reads.ledgers.add(ledgerId);
        for (const date of kept.dates) context.reads.dates.add(date);
        setResultAndStopExecution(new KeptResult(kept));
        return;
      }
      return {
        async onExecuteDone({ result }) {
          if (isAsyncIterable(result)) return;
          const lasting = keptFor(result, context);
          if (lasting === null || (lasting === 'briefly' && options.briefSeconds <= 0)) return;
          // The bytes Yoga sends: graphql-jit's compiled serialiser where it gave one.
          const stringify = (result as { stringify?: (value: unknown) => string }).stringify ?? JSON.stringify;
          const answer = { text: stringify(result), ledgers: [...context.reads.ledgers], dates: [...context.reads.dates], forGood: lasting === 'for good' };
          await options.store.set(upstream, digest, answer, options.briefSeconds);
        },
      };
    },
  };
}
