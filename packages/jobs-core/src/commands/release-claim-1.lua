--[[
  The reaper's step on a job's own slot: when the job is in progress under a worker found dead,
  marks it 'submitted' again with the reason (the next attempt counts against its attempts). The
  queue's side (requeue-stalled, requeue-orphans) then puts the id back on the pending list.
  KEYS[1] the job hash
  ARGV[1] the dead worker's id
  ARGV[2] the reason
  ARGV[3] the events channel prefix (a job's channel is prefix .. id)
  ARGV[4] job id
  Returns 'released', else the job's status (nothing changed), or 'missing' when it has no record.
]]
--- @include "includes/mark-for-retry"
--- @include "includes/publish-job-event"
local state = redis.call('HMGET', KEYS[1], 'status', 'worker')
if not state[1] then return 'missing' end
if state[1] ~= 'in progress' or state[2] ~= ARGV[1] then return state[1] end
markForRetry(KEYS[1], ARGV[2])
publishJobEvent({ prefix = ARGV[3] }, KEYS[1], ARGV[4])
return 'released'
