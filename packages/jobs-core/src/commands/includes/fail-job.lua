--[[
  The "failed" transition of a job's record: finished for good, with its reason, kept for the job
  TTL. The caller's queue step then lists it for expiry and takes it off the active hash.
  jobKey: the job hash; message: why it failed; finishedAt: epoch ms; ttlMs: how long to keep it
]]
local function failJob (jobKey, message, finishedAt, ttlMs)
  redis.call('HSET', jobKey, 'status', 'failed', 'error', message, 'finished_at', finishedAt)
  redis.call('HDEL', jobKey, 'last_error', 'progress', 'worker')
  redis.call('PEXPIRE', jobKey, ttlMs)
end
