--[[
  The "retry" an operator asked for, on the job's record: back as if new: 'submitted', attempts 0
  (a full set of fresh attempts), its error, times and progress cleared, kept again (no expiry).
  jobKey: the job hash
]]
local function resetForRetry (jobKey)
  redis.call('HSET', jobKey, 'status', 'submitted', 'attempts', '0')
  redis.call('HDEL', jobKey, 'error', 'last_error', 'started_at', 'finished_at', 'progress', 'worker', 'finished_claim', 'retry_requested')
  redis.call('PERSIST', jobKey)
end
