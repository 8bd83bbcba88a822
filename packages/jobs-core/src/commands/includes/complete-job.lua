--[[
  The record side of completing a job, if the caller's claim is current: the job's record and its
  result become one hash, the result hash, written whole by one HSET, and the record key goes. A
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

-- What a complete job does not keep of its record: who ran it, its progress (100 without saying
-- so), the error of an attempt before, an upload's full input (only a claim reads it), and the
-- fields the completion writes again.
local DROPPED_AT_COMPLETION = { worker = true, progress = true, last_error = true, finished_claim = true, input = true, status = true, finished_at = true }

local function completeJob (key, resultKey, worker, token, now, ttlMs, events, id, fields, first, last)
  local state = redis.call('HMGET', key, 'status', 'worker', 'attempts')
  if not state[1] then
    local finished = redis.call('HMGET', resultKey, 'status', 'attempts')
    if finished[1] == 'complete' and finished[2] == token then return 2 end
    return 0
  end
  if not holdsClaim(state, worker, token) then return 0 end
  local record = redis.call('HGETALL', key)
  local finished = { 'status', 'complete' }
  for i = 1, #record, 2 do
    if not DROPPED_AT_COMPLETION[record[i]] then
      finished[#finished + 1] = record[i]
      finished[#finished + 1] = record[i + 1]
    end
  end
  finished[#finished + 1] = 'finished_at'
  finished[#finished + 1] = now
  for i = first, last do finished[#finished + 1] = fields[i] end
  redis.call('DEL', resultKey, key)
  redis.call('HSET', resultKey, unpack(finished))
  redis.call('PEXPIRE', resultKey, ttlMs)
  publishJobEvent(events, resultKey, id)
  return 1
end
