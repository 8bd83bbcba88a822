--[[
  The reaper's step for one worker: when its heartbeat has expired, puts the jobs it held back at
  the head of the pending list, marks them 'submitted' with the reason (the next attempt counts
  against their attempts), and forgets the worker. Safe when several reapers run at once.
  KEYS[1] the set of worker ids
  KEYS[2] the worker's heartbeat
  KEYS[3] the worker's processing list
  KEYS[4] the pending list
  KEYS[5] the active hash
  ARGV[1] worker id
  ARGV[2] job key prefix
  ARGV[3] stalled-after (ms), for the reason
  ARGV[4] the events channel prefix (a job's channel is prefix .. id)
  Returns the re-queued job ids (none while the worker is alive).
]]
--- @include "includes/mark-for-retry"
--- @include "includes/publish-job-event"
if redis.call('EXISTS', KEYS[2]) == 1 then return {} end
local requeued = {}
while true do
  local id = redis.call('LMOVE', KEYS[3], KEYS[4], 'RIGHT', 'RIGHT')
  if not id then break end
  requeued[#requeued + 1] = id
end
redis.call('SREM', KEYS[1], ARGV[1])
local reason = 'the worker running it stopped responding (no heartbeat for ' .. ARGV[3] .. ' ms)'
for _, id in ipairs(requeued) do
  local key = ARGV[2] .. id
  local state = redis.call('HMGET', key, 'status', 'worker')
  if state[1] == 'in progress' and state[2] == ARGV[1] then
    markForRetry(key, KEYS[5], id, reason)
    publishJobEvent(ARGV[4], key, id)
  end
end
return requeued
