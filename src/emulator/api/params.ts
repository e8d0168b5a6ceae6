import { dayNumber, isCalendarDate } from '../data/calendar.ts';
import { badRequest, type Reply } from '../http/reply.ts';
import type { ApiRequest } from './context.ts';

/** Parameter checks shared by the Report and Sales routes; each failure names its parameter. */

export type Checked<T> = { ok: true; value: T } | { ok: false; reply: Reply };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = (request: ApiRequest, name: string, reason: string): Checked<never> => ({ ok: false, reply: badRequest(request.path, name, reason) });

export function ledgerDateParam(request: ApiRequest): Checked<number> {
  const text = request.params['ledgerDate'] ?? '';
  return isCalendarDate(text) ? ok(dayNumber(text)) : fail(request, 'ledgerDate', 'Invalid date, expected YYYY-MM-DD');
}

export function topicParam(request: ApiRequest): Checked<'funds' | 'fees'> {
  const topic = request.params['topic'];
  return topic === 'funds' || topic === 'fees' ? ok(topic) : fail(request, 'topic', 'Must be one of: funds, fees');
}

export function gdprParam(request: ApiRequest): Checked<boolean> {
  const value = request.query.get('includeGDPRSensitiveData');
  if (value === null || value === '' || value.toLowerCase() === 'false') return ok(false);
  return value.toLowerCase() === 'true' ? ok(true) : fail(request, 'includeGDPRSensitiveData', 'Must be true or false');
}

export function pageSizeParam(request: ApiRequest): Checked<number> {
  const value = request.query.get('pageSize');
  if (value === null) return ok(100);
  if (!/^-?\d+$/.test(value)) return fail(request, 'pageSize', 'Must be an integer between 1 and 1000');
  const size = Number(value);
  return size >= 1 && size <= 1000 ? ok(size) : fail(request, 'pageSize', 'Must be between 1 and 1000');
}

export function cursorParam<T>(request: ApiRequest, decode: (text: string) => T | null): Checked<T | null> {
  const text = request.query.get('cursor');
  if (text === null || text === '') return ok(null);
  const decoded = decode(text);
  return decoded === null ? fail(request, 'cursor', 'Malformed cursor') : ok(decoded);
}
