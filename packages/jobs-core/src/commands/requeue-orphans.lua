--[[
  The reaper's safety net, last step, on the queue's slot: for each job orphan-job-ids found whose
  record is now waiting ('released' by release-claim, or already 'submitted' by an earlier round
  that stopped half-way), moves the id from its gone worker's processing list (where a forgotten
  worker that claimed before its next heartbeat left it) back to the head of the pending list,
  unless it is queued already, and takes it off the active hash. An entry the active hash no longer
  holds for that worker (a new claim took the job meanwhile) is left alone. Jobs whose record is
  finished or gone just leave the active hash and that list.
  KEYS[1] the active hash (job id -> worker id)
  KEYS[2] the pending list
  KEYS[3] the delayed zset
  KEYS[3 + i] the processing list of the i-th job's worker
  ARGV[1..] for each job: id, worker, the record's state as release-claim answered
  Returns the re-queued job ids.
]]
local requeued = {}
for a = 1, #ARGV, 3 do
  local id, worker, state = ARGV[a], ARGV[a + 1], ARGV[a + 2]
  if redis.call('HGET', KEYS[1], id) == worker then
    redis.call('HDEL', KEYS[1], id)
    redis.call('LREM', KEYS[3 + (a + 2) / 3], 0, id)
    if state == 'released' or state == 'submitted' then
      if not redis.call('LPOS', KEYS[2], id) and not redis.call('ZSCORE', KEYS[3], id) then
        redis.call('RPUSH', KEYS[2], id)
      end
      requeued[#requeued + 1] = id
    end
  end
end
return requeued
