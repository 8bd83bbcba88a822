--[[
  A claim's record side, after take-job-ids moved the id into this worker's processing list:
  starts the job: status 'in progress', attempts + 1 (the claim's token), started_at, worker. A job
  already in progress under another worker is left to it; a record that is gone or finished is
  dropped (a re-queued id of a finished job); a job past its attempts is failed instead of started.
  A failed job an operator asked to retry, whose reset (retry-job) has not happened yet, is reset
  here first. The queue side of every answer but 'started' is settle-job-id's.
  key: the job hash; worker: its id; now: ms; maxAttempts; ttlMs: how long a failed job is kept;
  events: where to announce it (see publish-job-event); id: the job id.
  Returns { 'started', field, value, ... } (the record), { 'failed' }, { 'drop' }, or
  { 'held', worker } when another worker runs it.
]]
--- @include "includes/fail-job"
--- @include "includes/reset-for-retry"
--- @include "includes/publish-job-event"
local function startJob (key, worker, now, maxAttempts, ttlMs, events, id)
  local state = redis.call('HMGET', key, 'status', 'worker', 'retry_requested', 'finished_claim')
  if state[1] == 'failed' and state[3] == '1' then
    resetForRetry(key)
    state[1] = 'submitted'
  end
  if state[1] == 'in progress' and state[2] ~= worker then return { 'held', state[2] } end
  if state[1] ~= 'submitted' and state[1] ~= 'in progress' then return { 'drop' } end
  local attempts = redis.call('HINCRBY', key, 'attempts', 1)
  if state[4] then redis.call('HDEL', key, 'finished_claim') end
  if attempts > tonumber(maxAttempts) then
    local last = redis.call('HGET', key, 'last_error') or 'the worker running it stopped before finishing'
    redis.call('HSET', key, 'attempts', attempts - 1)
    failJob(key, 'failed after ' .. (attempts - 1) .. ' attempts: ' .. last, now, ttlMs)
    publishJobEvent(events, key, id)
    return { 'failed' }
  end
  redis.call('HSET', key, 'status', 'in progress', 'started_at', now, 'worker', worker, 'progress', '0')
  publishJobEvent(events, key, id)
  local started = redis.call('HGETALL', key)
  table.insert(started, 1, 'started')
  return started
end

--[[
  How settle-job-id ends a claim that start-job did not start: its action and extra.
]]
local function unstartedSettlement (reply)
  local outcome = reply[1]
  if outcome == 'failed' then return 'failed', '' end
  if outcome == 'held' then return 'held', reply[2] end
  return 'drop', ''
end
