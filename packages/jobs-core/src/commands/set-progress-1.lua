--[[
  Records a job's progress; only the current claim of an in-progress job may move it.
  KEYS[1] the job hash
  ARGV[1] worker id
  ARGV[2] the claim's token (its attempt number)
  ARGV[3] progress, 0-100
  ARGV[4] the events channel prefix (a job's channel is prefix .. id)
  ARGV[5] job id
  An unchanged value is not written again, and announces nothing.
  Returns 1 when recorded, 0 when the claim is stale.
]]
--- @include "includes/holds-claim"
--- @include "includes/publish-job-event"
if holdsClaim(redis.call('HMGET', KEYS[1], 'status', 'worker', 'attempts'), ARGV[1], ARGV[2]) then
  if redis.call('HGET', KEYS[1], 'progress') ~= ARGV[3] then
    redis.call('HSET', KEYS[1], 'progress', ARGV[3])
    publishJobEvent({ prefix = ARGV[4] }, KEYS[1], ARGV[5])
  end
  return 1
end
return 0
