--[[
  The last step of an operator's retry, on the job's own slot, after request-retry marked it and
  enqueue-job queued its id: a failed job marked 'retry_requested' goes back as if new (see
  includes/reset-for-retry). A claim may have done this already (start-job), or even started it.
  KEYS[1] the job hash
  ARGV[1] job id
  ARGV[2] the events channel prefix (a job's channel is prefix .. id)
  Returns the job's record as it is now (a flat field/value array), or 'missing' (no such job), or
  the job's status when there was nothing to reset.
]]
--- @include "includes/reset-for-retry"
--- @include "includes/publish-job-event"
local state = redis.call('HMGET', KEYS[1], 'status', 'retry_requested')
if not state[1] then return 'missing' end
if state[1] ~= 'failed' or state[2] ~= '1' then return state[1] end
resetForRetry(KEYS[1])
publishJobEvent({ prefix = ARGV[2] }, KEYS[1], ARGV[1])
return redis.call('HGETALL', KEYS[1])
