--[[
  The reaper's first step for one worker, on the queue's slot: when its heartbeat has expired,
  lists the ids in its processing list (release-claim then frees their records, requeue-stalled
  moves them back).
  KEYS[1] the worker's heartbeat
  KEYS[2] the worker's processing list
  Returns false while the worker is alive, else the ids (maybe none).
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
return redis.call('LRANGE', KEYS[2], 0, -1)
