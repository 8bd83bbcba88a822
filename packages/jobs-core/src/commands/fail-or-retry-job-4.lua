--[[
  After an attempt threw: puts the job back on the queue while attempts remain (and the error is
  retryable), else marks it failed with the error. Only the worker holding the job may do this.
  KEYS[1] the job hash
  KEYS[2] the worker's processing list
  KEYS[3] the pending list
  KEYS[4] the job expiries zset
  ARGV[1] job id
  ARGV[2] worker id
  ARGV[3] error message
  ARGV[4] '1' when a retry may help
  ARGV[5] max attempts
  ARGV[6] finished time (ISO)
  ARGV[7] how long a failed job is kept (ms)
  ARGV[8] now (ms)
  Returns 'retry', 'failed', or 'stale' when the job was no longer this worker's.
]]
--- @include "includes/fail-job"
--- @include "includes/mark-for-retry"
local outcome = 'stale'
local state = redis.call('HMGET', KEYS[1], 'status', 'worker', 'attempts')
if state[1] == 'in progress' and state[2] == ARGV[2] then
  local attempts = tonumber(state[3] or '0')
  if ARGV[4] == '1' and attempts < tonumber(ARGV[5]) then
    markForRetry(KEYS[1], ARGV[3])
    outcome = 'retry'
  else
    local message = ARGV[3]
    if ARGV[4] == '1' then message = 'failed after ' .. attempts .. ' attempts: ' .. ARGV[3] end
    failJob(KEYS[1], KEYS[4], ARGV[1], message, ARGV[6], ARGV[7], ARGV[8])
    outcome = 'failed'
  end
end
redis.call('LREM', KEYS[2], 1, ARGV[1])
if outcome == 'retry' then redis.call('LPUSH', KEYS[3], ARGV[1]) end
return outcome
