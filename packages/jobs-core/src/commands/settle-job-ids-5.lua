--[[
  The queue's side of the transitions that end an attempt or a claim, on the queue's slot, after
  the job's record changed on its own slot (complete-job, fail-or-retry-job, start-job): takes each
  id off this worker's processing list and the active hash, and
  - 'complete', 'failed': lists the job for expiry (the listing forgets it once its record expires);
  - 'retry': puts the id back, in the delayed set until its back-off is over or on the pending
    list, only if it was still in the processing list: a repeated call (its reply was lost) does
    not queue the job twice;
  - 'held': the id's job runs under another worker (ARGV extra): the active hash says so;
  - 'drop': nothing more;
  - 'stale': nothing at all. The attempt's claim is gone: a reaper released the record and may not
    yet have moved the id (it would then find it gone, and the job would wait in no list), or this
    worker claimed the job again and the id in its list is the new claim's.
  KEYS[1] the worker's processing list
  KEYS[2] the job expiries zset
  KEYS[3] the active hash
  KEYS[4] the pending list
  KEYS[5] the delayed zset
  ARGV[1] worker id
  ARGV[2] now (ms)
  ARGV[3] how long finished jobs are kept (ms)
  ARGV[4..] for each id: id, action, extra (retry: when due, ms; held: the worker; else '')
  Returns how many ids were settled.
]]
local now = tonumber(ARGV[2])
local n = 0
for a = 4, #ARGV, 3 do
  local id, action, extra = ARGV[a], ARGV[a + 1], ARGV[a + 2]
  if action ~= 'stale' then
    local removed = redis.call('LREM', KEYS[1], 1, id)
    if action == 'held' then
      redis.call('HSET', KEYS[3], id, extra)
    elseif redis.call('HGET', KEYS[3], id) == ARGV[1] then
      redis.call('HDEL', KEYS[3], id)
    end
    if action == 'complete' or action == 'failed' then
      redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), id)
    elseif action == 'retry' and removed > 0 then
      if tonumber(extra) > now then
        redis.call('ZADD', KEYS[5], extra, id)
      else
        redis.call('LPUSH', KEYS[4], id)
      end
    end
    n = n + 1
  end
end
return n
