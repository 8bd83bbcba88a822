--[[
  The "back to the queue" transition of a job's record: 'submitted' again, with the reason the last
  attempt ended, and no longer active. The caller puts the id back on the pending list (front or
  back) or in the delayed set.
]]
local function markForRetry (jobKey, activeKey, id, reason)
  redis.call('HSET', jobKey, 'status', 'submitted', 'last_error', reason)
  redis.call('HDEL', jobKey, 'worker', 'progress')
  redis.call('HDEL', activeKey, id)
end
