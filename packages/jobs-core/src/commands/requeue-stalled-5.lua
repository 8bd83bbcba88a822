--[[
  The reaper's last step for one dead worker, on the queue's slot, after release-claim marked its
  jobs' records 'submitted': moves the given ids from its processing list to the head of the
  pending list (only those still there: a repeated call moves nothing twice), takes them off the
  active hash, and forgets the worker while its heartbeat stays expired. Safe when several
  reapers run at once.
  KEYS[1] the set of worker ids
  KEYS[2] the worker's heartbeat
  KEYS[3] the worker's processing list
  KEYS[4] the pending list
  KEYS[5] the active hash
  ARGV[1] worker id
  ARGV[2..] the ids stalled-job-ids listed
  Returns the re-queued job ids.
]]
local requeued = {}
for i = 2, #ARGV do
  local id = ARGV[i]
  if redis.call('LREM', KEYS[3], 1, id) > 0 then
    redis.call('RPUSH', KEYS[4], id)
    requeued[#requeued + 1] = id
  end
  if redis.call('HGET', KEYS[5], id) == ARGV[1] then redis.call('HDEL', KEYS[5], id) end
end
if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('SREM', KEYS[1], ARGV[1]) end
return requeued
