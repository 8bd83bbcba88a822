--[[
  Records a job's progress; only the current claim of an in-progress job may move it.
  KEYS[1] the job hash
  ARGV[1] worker id
  ARGV[2] the claim's token (its attempt number)
  ARGV[3] progress, 0-100
  Returns 1 when recorded, 0 when the claim is stale.
]]
--- @include "includes/holds-claim"
if holdsClaim(redis.call('HMGET', KEYS[1], 'status', 'worker', 'attempts'), ARGV[1], ARGV[2]) then
  redis.call('HSET', KEYS[1], 'progress', ARGV[3])
  return 1
end
return 0
