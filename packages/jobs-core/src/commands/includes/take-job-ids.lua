--[[
  A claim's queue side: moves retries whose back-off is over from the delayed set to the back of
  the pending list, then up to `count` ids from the pending list to this worker's processing list,
  and marks each active under this worker. The job's record is started afterwards (start-job);
  until then a crash leaves the id in the processing list, where the reaper finds it.
  Fenced: an id the worker's blocking BLMOVE handed over (`moved`) is taken only if it is still in
  this worker's processing list (a frozen worker's list may have been re-queued by a reaper meanwhile).
  pending, processing, active, delayed: the keys; count: how many ids to move; worker: its id;
  now: ms; moved: the ids a blocking BLMOVE already moved. Returns the ids taken.
]]
local function takeJobIds (pending, processing, active, delayed, count, worker, now, moved)
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, 1000)
  for _, id in ipairs(due) do
    redis.call('ZREM', delayed, id)
    redis.call('LPUSH', pending, id)
  end
  local ids = {}
  for _, id in ipairs(moved) do
    if redis.call('LPOS', processing, id) then ids[#ids + 1] = id end
  end
  for _ = 1, count do
    local id = redis.call('LMOVE', pending, processing, 'RIGHT', 'LEFT')
    if not id then break end
    ids[#ids + 1] = id
  end
  for _, id in ipairs(ids) do redis.call('HSET', active, id, worker) end
  return ids
end
