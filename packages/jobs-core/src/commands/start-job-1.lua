--[[
  A claim's second step, on the job's own slot (the first, take-job-ids, moved the id into this
  worker's processing list): starts the job: status 'in progress', attempts + 1 (the claim's
  token), started_at, worker. A job already in progress under another worker is left to it; a
  record that is gone or finished is dropped (a re-queued id of a finished job); a job past its
  attempts is failed instead of started. A failed job an operator asked to retry, whose reset
  (retry-job) has not happened yet, is reset here first.
  KEYS[1] the job hash
  ARGV[1] worker id
  ARGV[2] now (epoch ms)
  ARGV[3] max attempts
  ARGV[4] how long a failed job is kept (ms)
  ARGV[5] the events channel prefix (a job's channel is prefix .. id)
  ARGV[6] job id
  Returns { 'started', field, value, ... } (the record), { 'failed' }, { 'drop' }, or
  { 'held', worker } when another worker runs it.
]]
--- @include "includes/fail-job"
--- @include "includes/reset-for-retry"
--- @include "includes/publish-job-event"
local key = KEYS[1]
local state = redis.call('HMGET', key, 'status', 'worker', 'retry_requested')
if state[1] == 'failed' and state[3] == '1' then
  resetForRetry(key)
  state[1] = 'submitted'
end
if state[1] == 'in progress' and state[2] ~= ARGV[1] then return { 'held', state[2] } end
if state[1] ~= 'submitted' and state[1] ~= 'in progress' then return { 'drop' } end
local attempts = redis.call('HINCRBY', key, 'attempts', 1)
redis.call('HDEL', key, 'finished_claim')
if attempts > tonumber(ARGV[3]) then
  local last = redis.call('HGET', key, 'last_error') or 'the worker running it stopped before finishing'
  redis.call('HSET', key, 'attempts', attempts - 1)
  failJob(key, 'failed after ' .. (attempts - 1) .. ' attempts: ' .. last, ARGV[2], ARGV[4])
  publishJobEvent(ARGV[5], key, ARGV[6])
  return { 'failed' }
end
redis.call('HSET', key, 'status', 'in progress', 'started_at', ARGV[2], 'worker', ARGV[1], 'progress', '0')
publishJobEvent(ARGV[5], key, ARGV[6])
local started = redis.call('HGETALL', key)
table.insert(started, 1, 'started')
return started
