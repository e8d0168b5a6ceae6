import type { LogFields, Logger, LogLevel } from '../../src/logger.ts';

export interface LogLine {
  level: LogLevel;
  msg: string;
  fields: LogFields;
}

/** A real logger that keeps its lines, so tests can assert what an operator would see. */
export function recordingLogger(): Logger & { lines: LogLine[]; at(level: LogLevel): LogLine[] } {
  const lines: LogLine[] = [];
  const record = (level: LogLevel) => (msg: string, fields: LogFields = {}) => void lines.push({ level, msg, fields });
  return {
    lines,
    at: (level) => lines.filter((line) => line.level === level),
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}
