--[[
  The reaper's safety net: a job in progress whose worker is gone (no longer in the worker set,
  so its processing list has been re-queued already) and whose id is in no list would otherwise
  stay 'in progress' for ever. Puts each such job back at the head of the pending list with the
  reason; the next claim counts the attempt, and fails it past the maximum.
  KEYS[1] the active hash (job id -> worker id)
  KEYS[2] the set of worker ids
  KEYS[3] the pending list
  KEYS[4] the delayed zset
  ARGV[1] job key prefix
  ARGV[2] the events channel prefix (a job's channel is prefix .. id)
  Returns the re-queued job ids.
]]
--- @include "includes/mark-for-retry"
--- @include "includes/publish-job-event"
local requeued = {}
local active = redis.call('HGETALL', KEYS[1])
for i = 1, #active, 2 do
  local id, worker = active[i], active[i + 1]
  if redis.call('SISMEMBER', KEYS[2], worker) == 0 then
    local key = ARGV[1] .. id
    local state = redis.call('HMGET', key, 'status', 'worker')
    if state[1] == 'in progress' and state[2] == worker then
      markForRetry(key, KEYS[1], id, 'the worker running it stopped and its claim was lost')
      publishJobEvent(ARGV[2], key, id)
      if not redis.call('LPOS', KEYS[3], id) and not redis.call('ZSCORE', KEYS[4], id) then
        redis.call('RPUSH', KEYS[3], id)
      end
      requeued[#requeued + 1] = id
    else
      redis.call('HDEL', KEYS[1], id)
    end
  end
end
return requeued
