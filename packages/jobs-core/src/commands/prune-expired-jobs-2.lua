--[[
  The "expire" transition's bookkeeping: drops expired jobs from the listing (their hashes and
  results expire by themselves).
  KEYS[1] the job expiries zset
  KEYS[2] the job index
  ARGV[1] now (ms)
  Returns how many were dropped (at most 1000 a call).
]]
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1000)
if #expired > 0 then
  redis.call('ZREM', KEYS[2], unpack(expired))
  redis.call('ZREM', KEYS[1], unpack(expired))
end
return #expired
