--[[
  The "failed" transition: the job is finished for good, with its reason, kept for the job TTL,
  and no longer active.
  jobKey: the job hash; expiriesKey: the job expiries zset; activeKey: the active hash; id: the job id;
  message: why it failed; finishedAt: ISO time; ttlMs: how long to keep it; nowMs: now (ms)
]]
local function failJob (jobKey, expiriesKey, activeKey, id, message, finishedAt, ttlMs, nowMs)
  redis.call('HSET', jobKey, 'status', 'failed', 'error', message, 'finished_at', finishedAt)
  redis.call('HDEL', jobKey, 'last_error', 'progress', 'worker')
  redis.call('PEXPIRE', jobKey, ttlMs)
  redis.call('ZADD', expiriesKey, tonumber(nowMs) + tonumber(ttlMs), id)
  redis.call('HDEL', activeKey, id)
end
