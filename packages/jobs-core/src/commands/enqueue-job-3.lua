--[[
  The queue's side of creating jobs (after their records were written, each on its job's own
  slot), or of an operator's retry: lists each job and queues its id at the back, off the expiry
  list. A batch of new jobs is queued by one call, in order.
  KEYS[1] the job index (zset: creation time -> id)
  KEYS[2] the pending list
  KEYS[3] the job expiries zset
  ARGV[1..] for each job: its id, then its created time (ms), or '' for a retry (the listing
  stays as it is)
  Returns how many ids were queued.
]]
for i = 1, #ARGV, 2 do
  local id, created = ARGV[i], ARGV[i + 1]
  if created ~= '' then redis.call('ZADD', KEYS[1], created, id) end
  redis.call('ZREM', KEYS[3], id)
  redis.call('LPUSH', KEYS[2], id)
end
return #ARGV / 2
