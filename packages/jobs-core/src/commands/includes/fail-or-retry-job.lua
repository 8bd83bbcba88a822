--[[
  The record side of an attempt that threw: while attempts remain and the error is retryable,
  marks the job 'submitted' again (the queue's side, settle-job-id, then puts its id back, in the
  delayed set or on the pending list); else marks it failed with the error. Only the current claim
  of the job may do this. A repeated call by the same claim (its reply was lost) answers the same
  outcome again and changes nothing.
  key: the job hash; worker: its id; token: the claim's attempt; message: the error; retryable:
  '1' when a retry may help; maxAttempts; now: finished time (ms); ttlMs: how long a failed job is
  kept; events: where to announce it (see publish-job-event); id: the job id.
  Returns 'retry', 'failed', or 'stale' when the claim was stale.
]]
--- @include "includes/fail-job"
--- @include "includes/mark-for-retry"
--- @include "includes/holds-claim"
--- @include "includes/publish-job-event"
local function failOrRetryJob (key, worker, token, message, retryable, maxAttempts, now, ttlMs, events, id)
  local claim = worker .. ':' .. token
  local state = redis.call('HMGET', key, 'status', 'worker', 'attempts', 'finished_claim')
  if state[4] == claim then
    if state[1] == 'submitted' then return 'retry' end
    if state[1] == 'failed' then return 'failed' end
  end
  if not holdsClaim(state, worker, token) then return 'stale' end
  local attempts = tonumber(token)
  local outcome
  if retryable == '1' and attempts < tonumber(maxAttempts) then
    markForRetry(key, message)
    outcome = 'retry'
  else
    if retryable == '1' then message = 'failed after ' .. attempts .. ' attempts: ' .. message end
    failJob(key, message, now, ttlMs)
    outcome = 'failed'
  end
  redis.call('HSET', key, 'finished_claim', claim)
  publishJobEvent(events, key, id)
  return outcome
end
