--[[
  A claim's first step, on the queue's slot: moves retries whose back-off is over from the delayed
  set to the back of the pending list, then up to ARGV[1] ids from the pending list to this
  worker's processing list, and marks each active under this worker. The job's record is started
  by start-job, on the job's own slot, afterwards; until then a crash leaves the id in the
  processing list, where the reaper finds it.
  Fenced: an id the worker's blocking BLMOVE handed over is taken only if it is still in this
  worker's processing list (a frozen worker's list may have been re-queued by a reaper meanwhile).
  KEYS[1] the pending list
  KEYS[2] this worker's processing list
  KEYS[3] the active hash
  KEYS[4] the delayed zset
  ARGV[1] how many ids to move
  ARGV[2] worker id
  ARGV[3] now (ms)
  ARGV[4..] ids already moved to the processing list by a blocking BLMOVE
  Returns the ids taken.
]]
local due = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', ARGV[3], 'LIMIT', 0, 1000)
for _, id in ipairs(due) do
  redis.call('ZREM', KEYS[4], id)
  redis.call('LPUSH', KEYS[1], id)
end
local ids = {}
for i = 4, #ARGV do
  if redis.call('LPOS', KEYS[2], ARGV[i]) then ids[#ids + 1] = ARGV[i] end
end
for _ = 1, tonumber(ARGV[1]) do
  local id = redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
  if not id then break end
  ids[#ids + 1] = id
end
for _, id in ipairs(ids) do redis.call('HSET', KEYS[3], id, ARGV[2]) end
return ids
