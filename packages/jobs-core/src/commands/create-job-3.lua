--[[
  Creates a job record, lists it, and queues its id, all or nothing.
  KEYS[1] the job hash
  KEYS[2] the job index (zset: creation time -> id)
  KEYS[3] the pending list
  ARGV[1] job id
  ARGV[2] created time (ms)
  ARGV[3..] the job hash's field/value pairs
]]
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('LPUSH', KEYS[3], ARGV[1])
return 1
