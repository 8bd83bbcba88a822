--[[
  The "retry" transition an operator asks for (POST /jobs/:id/retry), on the job's own slot: a
  failed job goes back as if new: 'submitted', attempts 0 (a full set of fresh attempts), its
  error, times and progress cleared, kept again (no expiry). The queue's side (its id at the back
  of the pending list, off the expiry list) follows in the caller.
  Only a failed job may be retried; anything else is left exactly as it was. Except one: a job this
  script reset whose queue step did not happen (Redis failed between the two, the operator got a
  503) is still 'submitted' with no attempt and marked 'retried': it is answered again, so the
  operator's next retry queues it (the queue step skips an id already queued).
  KEYS[1] the job hash
  ARGV[1] job id
  ARGV[2] the events channel prefix (a job's channel is prefix .. id)
  Returns the job's record as it is now (a flat field/value array), or 'missing' (no such job), or
  the job's status when it is not failed.
]]
--- @include "includes/publish-job-event"
local state = redis.call('HMGET', KEYS[1], 'status', 'attempts', 'retried')
local status = state[1]
if not status then return 'missing' end
if status == 'submitted' and state[2] == '0' and state[3] == '1' then return redis.call('HGETALL', KEYS[1]) end
if status ~= 'failed' then return status end
redis.call('HSET', KEYS[1], 'status', 'submitted', 'attempts', '0', 'retried', '1')
redis.call('HDEL', KEYS[1], 'error', 'last_error', 'started_at', 'finished_at', 'progress', 'worker', 'finished_claim')
redis.call('PERSIST', KEYS[1])
publishJobEvent(ARGV[2], KEYS[1], ARGV[1])
return redis.call('HGETALL', KEYS[1])
