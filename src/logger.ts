import { createHash } from 'node:crypto';
import { pino, stdSerializers, type DestinationStream } from 'pino';

/**
 * The gateway's one logging shape, on pino: a message plus structured fields, one JSON line per
 * record. Call sites keep the `(msg, fields)` order; pino does the writing, levels
 * and error serialisation. Two guards sit in front of every line:
 * - secrets are redacted by field name wherever they appear (tokens, keys, passwords), and what
 *   lies deeper than the walk that redacts them is left out;
 * - long strings are cut and marked with a hash, so a hostile request cannot multiply its size
 *   into the log, and two cut strings can still be told apart.
 */

export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof logLevels)[number];

export type LogFields = Record<string, unknown>;
export type LogMethod = (msg: string, fields?: LogFields) => void;

export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  /** Writes out what is buffered; resolves once it is written. Loggers that buffer nothing leave it out. */
  flush?(): Promise<void>;
}

const noop: LogMethod = () => {};

export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

export interface LoggerOptions {
  level: LogLevel;
  /** Where a finished line goes; stdout unless a test or a host wants it elsewhere. */
  write?: (line: string) => void;
  clock?: () => number;
}

/** Field names whose values never reach a log, at any depth the walk below reaches. */
const secretFields = [
  'authorization',
  'cookie',
  'access_token',
  'accessToken',
  'token',
  'apiKey',
  'clientSecret',
  'client_secret',
  'password',
  'secret',
  // Payers' personal data (Report API `includeGDPRSensitiveData`), should any ever be handed to a log line.
  'payer',
  'maskedPhoneNo',
  'maskedPhoneNumber',
];
const secrets: ReadonlySet<string> = new Set(secretFields);
const censor = '[redacted]';

/** Strings longer than this are cut. */
const maxStringChars = 512;
const keptChars = 200;
const maxDepth = 6;

function cut(text: string): string {
  if (text.length <= maxStringChars) return text;
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 12);
  return `${text.slice(0, keptChars)}… [${text.length} chars, sha256 ${digest}]`;
}

/**
 * Cuts every long string in a record's fields and redacts every secret field, at any depth it
 * walks; errors and other objects are left to the serialisers. Our own walk rather than pino's
 * `redact`: this walk is made for every line anyway, and pino's wildcard paths (which reached
 * three levels deep) cost about 6 % of the CPU of an answer served from the answer cache.
 */
function cutLongStrings(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return cut(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  // Deeper than the walk: left out rather than written unredacted.
  if (depth >= maxDepth) return '[nested too deep]';
  if (value instanceof Error) return serialiseError(value);
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => cutLongStrings(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = secrets.has(key) ? censor : cutLongStrings(item, depth + 1);
  return out;
}

/** A stack is worth more room than other strings: it is what an operator reads first. */
const maxStackChars = 4_000;

function serialiseError(error: Error): Record<string, unknown> {
  const { type: _type, stack, ...rest } = stdSerializers.err(error);
  const fields = cutLongStrings({ name: error.name, ...rest }, maxDepth - 2) as Record<string, unknown>;
  return stack === undefined ? fields : { ...fields, stack: stack.slice(0, maxStackChars) };
}

/**
 * Standard output, written asynchronously in batches: a synchronous write per line was about 5 %
 * of a request's CPU (the access line of every request). Lines wait at most `flushEveryMs`, or
 * until `batchBytes` gathered. pino writes out what is left when the process exits, however it
 * exits (pino registers that for an asynchronous destination); a stop flushes before it exits
 * (`flush`, which waits for the write to finish).
 */
const batchBytes = 4096;
const flushEveryMs = 100;

export function createLogger(options: LoggerOptions): Logger {
  const clock = options.clock ?? Date.now;
  const write = options.write;
  const stdout = write === undefined ? pino.destination({ dest: 1, sync: false, minLength: batchBytes, periodicFlush: flushEveryMs }) : null;
  const destination: DestinationStream = stdout ?? { write: (line) => write?.(line) };
  const base = pino(
    {
      level: options.level,
      base: undefined,
      messageKey: 'msg',
      timestamp: () => `,"time":"${new Date(clock()).toISOString()}"`,
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => cutLongStrings(fields, 0) as Record<string, unknown>,
      },
    },
    destination,
  );
  const method =
    (level: LogLevel): LogMethod =>
    (msg, fields) =>
      fields === undefined ? base[level](msg) : base[level](fields, msg);
  const logger: Logger = { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
  if (stdout !== null) logger.flush = () => new Promise<void>((resolve) => stdout.flush(() => resolve()));
  return logger;
}
