--[[
  The queue's side of creating a job (after its record was written on the job's own slot), or of
  an operator's retry: lists the job and queues its id at the back, off the expiry list.
  KEYS[1] the job index (zset: creation time -> id)
  KEYS[2] the pending list
  KEYS[3] the job expiries zset
  ARGV[1] job id
  ARGV[2] created time (ms), or '' for a retry (the listing stays as it is)
]]
if ARGV[2] ~= '' then redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1]) end
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('LPUSH', KEYS[2], ARGV[1])
return 1
