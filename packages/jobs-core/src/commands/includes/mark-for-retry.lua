--[[
  The "back to the queue" transition of a job's record: 'submitted' again, with the reason the last
  attempt ended. The caller puts the id back on the pending list (front or back).
]]
local function markForRetry (jobKey, reason)
  redis.call('HSET', jobKey, 'status', 'submitted', 'last_error', reason)
  redis.call('HDEL', jobKey, 'worker', 'progress')
end
