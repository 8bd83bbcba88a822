--[[
  The "back to the queue" transition of a job's record: 'submitted' again, with the reason the last
  attempt ended. The caller's queue step puts the id back on the pending list (front or back) or in
  the delayed set, and takes it off the active hash.
]]
local function markForRetry (jobKey, reason)
  redis.call('HSET', jobKey, 'status', 'submitted', 'last_error', reason)
  redis.call('HDEL', jobKey, 'worker', 'progress')
end
