--[[
  The record side of completing a job: stores its result and marks it complete, if the caller's
  claim is current: a job re-queued from a worker thought dead is not completed twice, and a stale
  claim's result is dropped. A repeated call by the same claim (its reply was lost) writes nothing
  and answers 2, so the queue's side still settles the id. That claim is known by the attempt
  alone: each attempt number goes to one claim (start-job counts it), and a complete job is never
  reset, so a complete record whose attempts are the caller's token was completed by the caller
  (and keeps no `worker` nor `finished_claim` field: the record stays small).
  key: the job hash; resultKey: the result hash; worker: its id; token: the claim's attempt;
  now: finished time (ms); ttlMs: how long to keep the job and its result; events: where to
  announce it (see publish-job-event); id: the job id; fields, first, last: the result's
  field/value pairs are fields[first..last].
  Returns 1 when completed, 2 when this claim completed it before, 0 when the claim was stale.
]]
--- @include "includes/holds-claim"
--- @include "includes/publish-job-event"
local function completeJob (key, resultKey, worker, token, now, ttlMs, events, id, fields, first, last)
  local state = redis.call('HMGET', key, 'status', 'worker', 'attempts')
  if state[1] == 'complete' and state[3] == token then return 2 end
  if not holdsClaim(state, worker, token) then return 0 end
  -- A complete job's progress is 100 without saying so (the record stays small).
  redis.call('HSET', key, 'status', 'complete', 'finished_at', now)
  redis.call('HDEL', key, 'last_error', 'worker', 'progress')
  redis.call('PEXPIRE', key, ttlMs)
  redis.call('DEL', resultKey)
  redis.call('HSET', resultKey, unpack(fields, first, last))
  redis.call('PEXPIRE', resultKey, ttlMs)
  publishJobEvent(events, key, id)
  return 1
end
