/**
 * The gateway's one logging shape: a message plus structured fields, written as JSON lines so
 * that any log shipper can index them without a parser of its own.
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
}

const noop: LogMethod = () => {};

export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

export interface ConsoleLoggerOptions {
  level: LogLevel;
  /** Where a finished line goes; stdout unless a test or a host wants it elsewhere. */
  write?: (line: string) => void;
  clock?: () => number;
}

export function createConsoleLogger(options: ConsoleLoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const clock = options.clock ?? Date.now;
  const threshold = logLevels.indexOf(options.level);

  const method = (level: LogLevel): LogMethod => {
    if (logLevels.indexOf(level) < threshold) return noop;
    return (msg, fields) => {
      const record = { time: new Date(clock()).toISOString(), level, msg, ...fields };
      write(`${JSON.stringify(record, replaceUnserialisable)}\n`);
    };
  };

  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}

/** Errors and bigints would otherwise vanish (`{}`) or throw inside JSON.stringify. */
function replaceUnserialisable(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const code = 'code' in value ? value.code : undefined;
    return { name: value.name, message: value.message, code, stack: value.stack };
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}
