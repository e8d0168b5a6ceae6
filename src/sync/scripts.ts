import type { PositionedEntry } from './state.ts';

/**
 * The page-storing Lua script of the mirror. Redis runs a script as one step, so a page's
 * entries, its indexes and the moved cursor are stored together or not at all.
 */

/**
 * Stores one page and moves the cursor, only while the state is still the one the page was read
 * from (a compare-and-set: a second writer, or a retry after a lost reply, stores nothing twice).
 * The indexes are grouped per page before they are sent, so a page of a thousand entries costs
 * a few hundred index writes rather than thousands.
 *
 * KEYS: state, entries, dates, byPspReference, byReference.
 * ARGV: the expected state ('' when none), the next state, then four counted lists (see
 * `storePageArguments`): position/JSON pairs; date/first/last runs; pspReference/tokens pairs;
 * reference/tokens pairs. Returns 1 when stored, 0 when the state had moved on.
 */
export const storePageScript = `
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then return 0 end
local i = 3

local entries = tonumber(ARGV[i])
i = i + 1
-- Positions are stored a page at a time: a page whose first position is taken was stored
-- before (its state was reset by hand), and is overwritten with itself but not indexed again.
local fresh = entries == 0 or redis.call('HEXISTS', KEYS[2], ARGV[i]) == 0
for first = i, i + 2 * entries - 1, 400 do
  redis.call('HSET', KEYS[2], unpack(ARGV, first, math.min(first + 399, i + 2 * entries - 1)))
end
i = i + 2 * entries

-- A date's positions are nearly always one run, so they are kept as ranges ("0-811 905-905").
local runs = tonumber(ARGV[i])
i = i + 1
for _ = 1, runs do
  local date, first, last = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  i = i + 3
  if fresh then
    local current = redis.call('HGET', KEYS[3], date)
    local head, tail = nil, nil
    if current then head, tail = string.match(current, '^(.-)(%d+)$') end
    if current and tonumber(tail) + 1 == tonumber(first) then redis.call('HSET', KEYS[3], date, head .. last)
    elseif current then redis.call('HSET', KEYS[3], date, current .. ' ' .. first .. '-' .. last)
    else redis.call('HSET', KEYS[3], date, first .. '-' .. last) end
  end
end

for _, key in ipairs({ KEYS[4], KEYS[5] }) do
  local fields = tonumber(ARGV[i])
  i = i + 1
  for _ = 1, fields do
    local field, tokens = ARGV[i], ARGV[i + 1]
    i = i + 2
    if fresh and redis.call('HSETNX', key, field, tokens) == 0 then
      redis.call('HSET', key, field, redis.call('HGET', key, field) .. ' ' .. tokens)
    end
  end
end

redis.call('SET', KEYS[1], ARGV[2])
return 1
`;

/** Appends `token` to the space-separated tokens of `field`. */
function addToken(index: Map<string, string>, field: string | null, token: string): void {
  if (field === null || field === '') return;
  const tokens = index.get(field);
  index.set(field, tokens === undefined ? token : `${tokens} ${token}`);
}

/**
 * The script's arguments after the two states for one page's entries: each entry under its
 * position; the runs of consecutive positions per ledger date; and per pspReference and per
 * reference the tokens of its entries (`position@ledgerDate`, or the position alone on Sales).
 */
export function storePageArguments(entries: readonly PositionedEntry[]): string[] {
  const args: string[] = [String(entries.length)];
  for (const entry of entries) args.push(String(entry.position), entry.json);

  const runs: Array<{ date: string; first: number; last: number }> = [];
  const byPspReference = new Map<string, string>();
  const byReference = new Map<string, string>();
  for (const entry of entries) {
    const { ledgerDate, position } = entry;
    if (ledgerDate !== null) {
      const run = runs.find((candidate) => candidate.date === ledgerDate && candidate.last + 1 === position);
      if (run === undefined) runs.push({ date: ledgerDate, first: position, last: position });
      else run.last = position;
    }
    const token = ledgerDate === null ? String(position) : `${position}@${ledgerDate}`;
    addToken(byPspReference, entry.pspReference, token);
    addToken(byReference, entry.reference, token);
  }
  args.push(String(runs.length));
  for (const run of runs) args.push(run.date, String(run.first), String(run.last));
  for (const index of [byPspReference, byReference]) {
    args.push(String(index.size));
    for (const [field, tokens] of index) args.push(field, tokens);
  }
  return args;
}
