/**
 * The Lua scripts of the mirror. Redis runs a script as one step, so a page's entries, its
 * indexes and the moved cursor are stored together or not at all.
 */

/**
 * Stores one page and moves the cursor, only while the state is still the one the page was read
 * from (a compare-and-set: a second writer, or a retry after a lost reply, stores nothing twice).
 *
 * KEYS: state, entries, dates, byPspReference, byReference.
 * ARGV: the expected state ('' when none), the next state, then five per entry: position,
 * ledgerDate, pspReference, reference, JSON ('' for a missing value).
 * Returns 1 when stored, 0 when the state had moved on.
 */
export const storePageScript = `
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then return 0 end

local function addToken(key, field, token)
  if field == '' then return end
  local current = redis.call('HGET', key, field)
  if current then redis.call('HSET', key, field, current .. ' ' .. token)
  else redis.call('HSET', key, field, token) end
end

-- A date's positions are nearly always one run, so they are kept as ranges ("0-811").
local function addToDate(key, date, position)
  local current = redis.call('HGET', key, date)
  if not current then redis.call('HSET', key, date, position .. '-' .. position) return end
  local head, last = string.match(current, '^(.-)(%d+)$')
  if tonumber(last) + 1 == tonumber(position) then redis.call('HSET', key, date, head .. position)
  else redis.call('HSET', key, date, current .. ' ' .. position .. '-' .. position) end
end

for i = 3, #ARGV, 5 do
  local position, date = ARGV[i], ARGV[i + 1]
  -- An entry already stored under its position is only overwritten, never indexed again.
  if redis.call('HSET', KEYS[2], position, ARGV[i + 4]) == 1 then
    local token = position
    if date ~= '' then
      token = position .. '@' .. date
      addToDate(KEYS[3], date, position)
    end
    addToken(KEYS[4], ARGV[i + 2], token)
    addToken(KEYS[5], ARGV[i + 3], token)
  end
end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`;
