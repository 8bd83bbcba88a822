--[[
  The queue's side of the transitions that end an attempt or a claim, after the job's record
  changed (complete-job, fail-or-retry-job, start-job): takes the id off this worker's processing
  list and the active hash, and
  - 'complete', 'failed': nothing more (the record expires by itself; the listing forgets it
    once it finds the record gone);
  - 'retry': puts the id back, in the delayed set until its back-off is over or on the pending
    list, only if it was still in the processing list: a repeated call (its reply was lost) does
    not queue the job twice;
  - 'held': the id's job runs under another worker (extra): the active hash says so;
  - 'drop': nothing more;
  - 'stale': nothing at all. The attempt's claim is gone: a reaper released the record and may not
    yet have moved the id (it would then find it gone, and the job would wait in no list), or this
    worker claimed the job again and the id in its list is the new claim's.
  q: { processing, active, pending, delayed } (keys); worker: its id; now: ms;
  id, action, extra (retry: when due, ms; held: the worker; else '').
  Returns true when the id was settled (every action but 'stale').
]]
local function settleJobId (q, worker, now, id, action, extra)
  if action == 'stale' then return false end
  local removed = redis.call('LREM', q.processing, 1, id)
  if action == 'held' then
    redis.call('HSET', q.active, id, extra)
  elseif redis.call('HGET', q.active, id) == worker then
    redis.call('HDEL', q.active, id)
  end
  if action == 'retry' and removed > 0 then
    if tonumber(extra) > tonumber(now) then
      redis.call('ZADD', q.delayed, extra, id)
    else
      redis.call('LPUSH', q.pending, id)
    end
  end
  return true
end
