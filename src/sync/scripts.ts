import { chunksOf, packChunk, salesToken } from './chunks.ts';
import type { PositionedEntry } from './state.ts';

/**
 * The page-storing Lua script of the mirror. Redis runs a script as one step, so a page's
 * entries, its indexes and the moved cursor are stored together or not at all.
 */

/**
 * Stores one page and moves the cursor, only while the state is still the one the page was read
 * from (a compare-and-set: a second writer, or a retry after a lost reply, stores nothing twice).
 * Entries come as compressed chunks (chunks.ts) and the indexes grouped per page, so a page of a
 * thousand entries costs a handful of chunk writes and one index write per pspReference.
 *
 * KEYS: state, entries, dates, byPspReference, byReference.
 * ARGV: the expected state ('' when none), the next state, then four counted lists (see
 * `storePageArguments`): first position/chunk pairs; date/first position pairs; then per index
 * its way of adding (`dates` or `first`) and field/value pairs. Returns 1 when stored, 0 when
 * the state had moved on.
 */
export const storePageScript = `
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then return 0 end
local i = 3

local chunks = tonumber(ARGV[i])
i = i + 1
-- Chunks are stored a page at a time: a page whose first chunk is there was stored before (its
-- state was reset by hand), and is overwritten with itself but not indexed again.
local fresh = chunks == 0 or redis.call('HEXISTS', KEYS[2], ARGV[i]) == 0
if chunks > 0 then redis.call('HSET', KEYS[2], unpack(ARGV, i, i + 2 * chunks - 1)) end
i = i + 2 * chunks

-- A date's chunks, in feed order.
local runs = tonumber(ARGV[i])
i = i + 1
for _ = 1, runs do
  local date, first = ARGV[i], ARGV[i + 1]
  i = i + 2
  if fresh and redis.call('HSETNX', KEYS[3], date, first) == 0 then
    redis.call('HSET', KEYS[3], date, redis.call('HGET', KEYS[3], date) .. ' ' .. first)
  end
end

-- Each index is read and written with one HMGET and one HSET per few hundred fields, not a call
-- per field: a call from Lua costs far more than the string work around it.
for _, key in ipairs({ KEYS[4], KEYS[5] }) do
  local way, fields = ARGV[i], tonumber(ARGV[i + 1])
  i = i + 2
  for from = 0, (fresh and fields or 0) - 1, 200 do
    local names, values = {}, {}
    for k = 1, math.min(200, fields - from) do
      names[k], values[k] = ARGV[i + 2 * (from + k - 1)], ARGV[i + 2 * (from + k - 1) + 1]
    end
    local stored = redis.call('HMGET', key, unpack(names))
    local changed = {}
    for k, name in ipairs(names) do
      local value, current = values[k], stored[k]
      if current and way == 'dates' then
        -- The feed runs in date order: only this page's first date can be the stored last one.
        local first = string.match(value, '^%S+')
        if string.match(current, '%S+$') == first then value = string.sub(value, #first + 2) end
        if value ~= '' then value = current .. ' ' .. value end
      end
      if not current or (way == 'dates' and value ~= '') then
        table.insert(changed, name)
        table.insert(changed, value)
      end
    end
    if #changed > 0 then redis.call('HSET', key, unpack(changed)) end
  end
  i = i + 2 * fields
end

redis.call('SET', KEYS[1], ARGV[2])
return 1
`;

/** Adds `value` to the space-separated values of `field`, unless it is the last one already. */
function addValue(index: Map<string, string>, field: string | null, value: string): void {
  if (field === null || field === '') return;
  const values = index.get(field);
  if (values === undefined) index.set(field, value);
  else if (!values.endsWith(value)) index.set(field, `${values} ${value}`);
}

/** Keeps the first value of `field`. */
function keepFirst(index: Map<string, string>, field: string | null, value: string): void {
  if (field !== null && field !== '' && !index.has(field)) index.set(field, value);
}

/**
 * The script's arguments after the two states for one page's entries: the compressed chunks under
 * their first positions; each Report chunk under its ledger date; and the indexes. On Report
 * feeds, per pspReference and per reference the ledger dates of its entries (all that a join
 * asks of the mirror); on Sales, per pspReference where its first entry is (the one a lookup
 * answers). Sales references are not indexed: nothing looks Sales entries up by them.
 */
export function storePageArguments(entries: readonly PositionedEntry[]): Array<string | Buffer> {
  const chunks = chunksOf(entries);
  const args: Array<string | Buffer> = [String(chunks.length)];
  for (const chunk of chunks) args.push(String(chunk.first), packChunk(chunk));

  const dated = chunks.filter((chunk) => chunk.ledgerDate !== null);
  args.push(String(dated.length));
  for (const chunk of dated) args.push(chunk.ledgerDate ?? '', String(chunk.first));

  const byPspReference = new Map<string, string>();
  const byReference = new Map<string, string>();
  for (const chunk of chunks) {
    const { ledgerDate } = chunk;
    chunk.entries.forEach((entry, index) => {
      if (ledgerDate === null) keepFirst(byPspReference, entry.pspReference, salesToken(chunk.first, index));
      else {
        addValue(byPspReference, entry.pspReference, ledgerDate);
        addValue(byReference, entry.reference, ledgerDate);
      }
    });
  }
  const way = chunks.some((chunk) => chunk.ledgerDate === null) ? 'first' : 'dates';
  for (const index of [byPspReference, byReference]) {
    args.push(way, String(index.size));
    for (const [field, values] of index) args.push(field, values);
  }
  return args;
}
