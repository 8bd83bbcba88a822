--[[
  The reaper's safety net, first step, on the queue's slot: the jobs in the active hash whose
  worker is gone (no longer in the worker set, so its processing list was re-queued already).
  release-claim then frees each one's record and requeue-orphans puts it back.
  KEYS[1] the active hash (job id -> worker id)
  KEYS[2] the set of worker ids
  Returns id, worker, id, worker, ...
]]
local orphans = {}
local active = redis.call('HGETALL', KEYS[1])
for i = 1, #active, 2 do
  if redis.call('SISMEMBER', KEYS[2], active[i + 1]) == 0 then
    orphans[#orphans + 1] = active[i]
    orphans[#orphans + 1] = active[i + 1]
  end
end
return orphans
