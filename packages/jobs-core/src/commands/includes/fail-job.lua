--[[
  The "failed" transition: the job is finished for good, with its reason, and kept for the job TTL.
  jobKey: the job hash; expiriesKey: the job expiries zset; id: the job id;
  message: why it failed; finishedAt: ISO time; ttlMs: how long to keep it; nowMs: now (ms)
]]
local function failJob (jobKey, expiriesKey, id, message, finishedAt, ttlMs, nowMs)
  redis.call('HSET', jobKey, 'status', 'failed', 'error', message, 'finished_at', finishedAt)
  redis.call('HDEL', jobKey, 'last_error', 'progress', 'worker')
  redis.call('PEXPIRE', jobKey, ttlMs)
  redis.call('ZADD', expiriesKey, tonumber(nowMs) + tonumber(ttlMs), id)
end
