--[[
  Stores the results of one or more jobs, marks them complete and takes them off the worker's
  processing list. Only the current claim of a job may complete it: a job re-queued from a worker
  thought dead is not completed twice, and a stale claim's result is dropped.
  KEYS[1] the worker's processing list
  KEYS[2] the job expiries zset
  KEYS[3] the active hash
  ARGV[1] job key prefix; ARGV[2] result key prefix (a job's keys are prefix .. id)
  ARGV[3] worker id
  ARGV[4] finished time (ISO)
  ARGV[5] how long to keep the job and its result (ms)
  ARGV[6] now (ms)
  ARGV[7] the events channel prefix (a job's channel is prefix .. id)
  ARGV[8..] for each job: its id, its claim's token, the number n of result fields, then n
    field/value pairs
  Returns, per job, 1 when completed and 0 when the claim was stale.
]]
--- @include "includes/holds-claim"
--- @include "includes/publish-job-event"
local outcomes = {}
local a = 8
while a <= #ARGV do
  local id = ARGV[a]
  local token = ARGV[a + 1]
  local first = a + 3
  local last = first + 2 * tonumber(ARGV[a + 2]) - 1
  a = last + 1
  local jobKey = ARGV[1] .. id
  local done = 0
  if holdsClaim(redis.call('HMGET', jobKey, 'status', 'worker', 'attempts'), ARGV[3], token) then
    local resultKey = ARGV[2] .. id
    redis.call('HSET', jobKey, 'status', 'complete', 'finished_at', ARGV[4], 'progress', '100')
    redis.call('HDEL', jobKey, 'last_error', 'worker')
    redis.call('PEXPIRE', jobKey, ARGV[5])
    redis.call('ZADD', KEYS[2], tonumber(ARGV[6]) + tonumber(ARGV[5]), id)
    redis.call('HDEL', KEYS[3], id)
    redis.call('DEL', resultKey)
    redis.call('HSET', resultKey, unpack(ARGV, first, last))
    redis.call('PEXPIRE', resultKey, ARGV[5])
    publishJobEvent(ARGV[7], jobKey, id)
    done = 1
  end
  redis.call('LREM', KEYS[1], 1, id)
  outcomes[#outcomes + 1] = done
end
return outcomes
