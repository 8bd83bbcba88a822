--[[
  After an attempt threw, on the job's own slot: while attempts remain and the error is retryable,
  marks the job 'submitted' again (the queue's side, settle-job-ids, then puts its id back, in the
  delayed set or on the pending list); else marks it failed with the error. Only the current claim
  of the job may do this. A repeated call by the same claim (its reply was lost) answers the same
  outcome again and changes nothing.
  KEYS[1] the job hash
  ARGV[1] worker id
  ARGV[2] the claim's token (its attempt number)
  ARGV[3] error message
  ARGV[4] '1' when a retry may help
  ARGV[5] max attempts
  ARGV[6] finished time (epoch ms)
  ARGV[7] how long a failed job is kept (ms)
  ARGV[8] the events channel prefix (a job's channel is prefix .. id)
  ARGV[9] job id
  Returns 'retry', 'failed', or 'stale' when the claim was stale.
]]
--- @include "includes/fail-job"
--- @include "includes/mark-for-retry"
--- @include "includes/holds-claim"
--- @include "includes/publish-job-event"
local claim = ARGV[1] .. ':' .. ARGV[2]
local state = redis.call('HMGET', KEYS[1], 'status', 'worker', 'attempts', 'finished_claim')
if state[4] == claim then
  if state[1] == 'submitted' then return 'retry' end
  if state[1] == 'failed' then return 'failed' end
end
if not holdsClaim(state, ARGV[1], ARGV[2]) then return 'stale' end
local attempts = tonumber(ARGV[2])
local outcome
if ARGV[4] == '1' and attempts < tonumber(ARGV[5]) then
  markForRetry(KEYS[1], ARGV[3])
  outcome = 'retry'
else
  local message = ARGV[3]
  if ARGV[4] == '1' then message = 'failed after ' .. attempts .. ' attempts: ' .. ARGV[3] end
  failJob(KEYS[1], message, ARGV[6], ARGV[7])
  outcome = 'failed'
end
redis.call('HSET', KEYS[1], 'finished_claim', claim)
publishJobEvent(ARGV[8], KEYS[1], ARGV[9])
return outcome
