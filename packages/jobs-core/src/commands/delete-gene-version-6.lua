--[[
  Deletes the current gene data version and its pointer, if it is still the version the caller read.

  Input:
    KEYS[1]    the current-version pointer
    KEYS[2..6] that version's keys, its records hash first

    ARGV[1] the version the caller read

  Output:
    how many genes were deleted, or the error CONFLICT when another version became current meanwhile
]]
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then
  return redis.error_reply('CONFLICT the gene data changed while deleting')
end
local count = redis.call('HLEN', KEYS[2])
redis.call('DEL', KEYS[1])
for i = 2, #KEYS do redis.call('UNLINK', KEYS[i]) end
return count
