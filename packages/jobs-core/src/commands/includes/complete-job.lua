--[[
  The record side of completing a job, if the caller's claim is current: the job's record becomes
  its result hash (RENAME), which takes the result and the complete status in one HSET. A
  finished job is then one key that expires, as a BullMQ job is one hash; a job re-queued from a
  worker thought dead is not completed twice, and a stale claim's result is dropped.
  A repeated call by the same claim (its reply was lost) writes nothing and answers 2, so the queue's
  side still settles the id. That claim is known by the attempt alone: each attempt number goes to
  one claim (start-job counts it), and a complete job is never reset, so a complete job whose
  attempts are the caller's token was completed by the caller.
  key: the job hash; resultKey: the result hash; worker: its id; token: the claim's attempt;
  now: finished time (ms); ttlMs: how long to keep the finished job; events: where to announce it
  (see publish-job-event); id: the job id; fields, first, last: the result's field/value pairs are
  fields[first..last].
  Returns 1 when completed, 2 when this claim completed it before, 0 when the claim was stale.
]]
--- @include "includes/holds-claim"
--- @include "includes/publish-job-event"

local function completeJob (key, resultKey, worker, token, now, ttlMs, events, id, fields, first, last)
  local state = redis.call('HMGET', key, 'status', 'worker', 'attempts')
  if not state[1] then
    local finished = redis.call('HMGET', resultKey, 'status', 'attempts')
    if finished[1] == 'complete' and finished[2] == token then return 2 end
    return 0
  end
  if not holdsClaim(state, worker, token) then return 0 end
  -- The record becomes the result hash as it is (RENAME moves the value, copies nothing), then
  -- takes the result in the one HSET that writes the result key.
  redis.call('RENAME', key, resultKey)
  redis.call('HSET', resultKey, 'status', 'complete', 'finished_at', now, unpack(fields, first, last))
  -- Not kept: who ran it, its progress (100 without saying so), the error of an attempt before,
  -- and an upload's full input (only a claim reads it).
  redis.call('HDEL', resultKey, 'worker', 'progress', 'last_error', 'input')
  redis.call('PEXPIRE', resultKey, ttlMs)
  publishJobEvent(events, resultKey, id)
  return 1
end
