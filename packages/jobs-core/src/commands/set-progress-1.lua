--[[
  Records a job's progress; only the worker holding an in-progress job may move it.
  KEYS[1] the job hash
  ARGV[1] worker id
  ARGV[2] progress, 0-100
  Returns 1 when recorded, 0 when the job is no longer this worker's.
]]
local state = redis.call('HMGET', KEYS[1], 'status', 'worker')
if state[1] == 'in progress' and state[2] == ARGV[1] then
  redis.call('HSET', KEYS[1], 'progress', ARGV[2])
  return 1
end
return 0
