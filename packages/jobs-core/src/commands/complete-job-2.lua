--[[
  Stores a job's result and marks the job complete, on the job's own slot, if the caller's claim
  is current: a job re-queued from a worker thought dead is not completed twice, and a stale
  claim's result is dropped. The queue's side (settle-job-ids) follows; a crash between the two
  leaves the id in the processing list, and the claim that finds it later drops a finished job.
  A repeated call by the same claim (its reply was lost) writes nothing and answers 2, so the
  queue's side still lists the job for expiry.
  KEYS[1] the job hash
  KEYS[2] the result hash
  ARGV[1] worker id
  ARGV[2] the claim's token (its attempt number)
  ARGV[3] finished time (epoch ms)
  ARGV[4] how long to keep the job and its result (ms)
  ARGV[5] the events channel prefix (a job's channel is prefix .. id)
  ARGV[6] job id
  ARGV[7..] the result's field/value pairs
  Returns 1 when completed, 2 when this claim completed it before, 0 when the claim was stale.
]]
--- @include "includes/holds-claim"
--- @include "includes/publish-job-event"
local claim = ARGV[1] .. ':' .. ARGV[2]
local state = redis.call('HMGET', KEYS[1], 'status', 'worker', 'attempts', 'finished_claim')
if state[1] == 'complete' and state[4] == claim then return 2 end
if not holdsClaim(state, ARGV[1], ARGV[2]) then return 0 end
-- A complete job's progress is 100 without saying so (the record stays small).
redis.call('HSET', KEYS[1], 'status', 'complete', 'finished_at', ARGV[3], 'finished_claim', claim)
redis.call('HDEL', KEYS[1], 'last_error', 'worker', 'progress')
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[2], unpack(ARGV, 7))
redis.call('PEXPIRE', KEYS[2], ARGV[4])
publishJobEvent(ARGV[5], KEYS[1], ARGV[6])
return 1
