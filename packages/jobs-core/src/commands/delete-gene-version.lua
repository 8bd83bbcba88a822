--[[
  Deletes the current gene data version, if it is still the version the caller read: the pointer
  goes at once, so no new reader finds it; the version's keys stay readable for a grace period, as a
  replaced version's do, so a stream that started on it delivers it whole.

  Input:
    KEYS[1]    the current-version pointer
    KEYS[2..]  that version's keys, its records hash first

    ARGV[1] the version the caller read
    ARGV[2] how long (ms) the deleted version's keys stay readable

  Output:
    how many genes were deleted, or the error CONFLICT when another version became current meanwhile
]]
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then
  return redis.error_reply('CONFLICT the gene data changed while deleting')
end
local count = redis.call('HLEN', KEYS[2])
redis.call('DEL', KEYS[1])
for i = 2, #KEYS do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
return count
