--[[
  After an attempt threw: while attempts remain and the error is retryable, puts the job back:
  in the delayed set until its back-off is over, or straight onto the pending list when there is
  none; else marks it failed with the error. Only the current claim of the job may do this.
  KEYS[1] the job hash
  KEYS[2] the worker's processing list
  KEYS[3] the pending list
  KEYS[4] the job expiries zset
  KEYS[5] the active hash
  KEYS[6] the delayed zset
  ARGV[1] job id
  ARGV[2] worker id
  ARGV[3] the claim's token (its attempt number)
  ARGV[4] error message
  ARGV[5] '1' when a retry may help
  ARGV[6] max attempts
  ARGV[7] finished time (ISO)
  ARGV[8] how long a failed job is kept (ms)
  ARGV[9] now (ms)
  ARGV[10] when the retry is due (ms); not above now for no back-off
  ARGV[11] the events channel prefix (a job's channel is prefix .. id)
  Returns 'retry', 'failed', or 'stale' when the claim was stale.
]]
--- @include "includes/fail-job"
--- @include "includes/mark-for-retry"
--- @include "includes/holds-claim"
--- @include "includes/publish-job-event"
local outcome = 'stale'
if holdsClaim(redis.call('HMGET', KEYS[1], 'status', 'worker', 'attempts'), ARGV[2], ARGV[3]) then
  local attempts = tonumber(ARGV[3])
  if ARGV[5] == '1' and attempts < tonumber(ARGV[6]) then
    markForRetry(KEYS[1], KEYS[5], ARGV[1], ARGV[4])
    outcome = 'retry'
  else
    local message = ARGV[4]
    if ARGV[5] == '1' then message = 'failed after ' .. attempts .. ' attempts: ' .. ARGV[4] end
    failJob(KEYS[1], KEYS[4], KEYS[5], ARGV[1], message, ARGV[7], ARGV[8], ARGV[9])
    outcome = 'failed'
  end
  publishJobEvent(ARGV[11], KEYS[1], ARGV[1])
end
redis.call('LREM', KEYS[2], 1, ARGV[1])
if outcome == 'retry' then
  if tonumber(ARGV[10]) > tonumber(ARGV[9]) then
    redis.call('ZADD', KEYS[6], ARGV[10], ARGV[1])
  else
    redis.call('LPUSH', KEYS[3], ARGV[1])
  end
end
return outcome
