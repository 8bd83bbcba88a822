--[[
  Releases a lock only if the caller still holds it (a lock that expired and was taken by someone
  else is left alone).

  Input:
    KEYS[1] the lock

    ARGV[1] the token of the caller

  Output:
    1 when the lock was released, 0 when the caller no longer held it
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
