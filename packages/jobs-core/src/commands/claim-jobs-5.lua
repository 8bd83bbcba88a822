--[[
  Claims jobs for one worker. First moves retries whose back-off is over from the delayed set to the
  back of the pending list; then moves up to ARGV[2] ids from the pending list to this worker's
  processing list, and starts each: status 'in progress', attempts + 1 (the claim's token),
  started_at, worker, and an entry in the active hash.
  Fenced: an id the worker's blocking BLMOVE handed over is taken only if it is still in this
  worker's processing list (a frozen worker's list may have been re-queued by a reaper meanwhile),
  and a job already in progress under another worker is left to that worker. Ids whose record is
  gone or already finished are dropped; a job past its attempts is failed instead of started.
  KEYS[1] the pending list
  KEYS[2] this worker's processing list
  KEYS[3] the job expiries zset
  KEYS[4] the active hash
  KEYS[5] the delayed zset
  ARGV[1] job key prefix (a job's hash is prefix .. id)
  ARGV[2] how many ids to move
  ARGV[3] worker id
  ARGV[4] now (ISO)
  ARGV[5] now (ms)
  ARGV[6] max attempts
  ARGV[7] how long a failed job is kept (ms)
  ARGV[8] the events channel prefix (a job's channel is prefix .. id)
  ARGV[9..] ids already moved to the processing list by a blocking BLMOVE
  Returns the started jobs' records, each as a flat field/value array.
]]
--- @include "includes/fail-job"
--- @include "includes/publish-job-event"
local due = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', ARGV[5], 'LIMIT', 0, 1000)
for _, id in ipairs(due) do
  redis.call('ZREM', KEYS[5], id)
  redis.call('LPUSH', KEYS[1], id)
end
local ids = {}
for i = 9, #ARGV do
  if redis.call('LPOS', KEYS[2], ARGV[i]) then ids[#ids + 1] = ARGV[i] end
end
for _ = 1, tonumber(ARGV[2]) do
  local id = redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
  if not id then break end
  ids[#ids + 1] = id
end
local started = {}
for _, id in ipairs(ids) do
  local key = ARGV[1] .. id
  local state = redis.call('HMGET', key, 'status', 'worker')
  if (state[1] ~= 'submitted' and state[1] ~= 'in progress') or (state[1] == 'in progress' and state[2] ~= ARGV[3]) then
    redis.call('LREM', KEYS[2], 1, id)
  else
    local attempts = redis.call('HINCRBY', key, 'attempts', 1)
    if attempts > tonumber(ARGV[6]) then
      local last = redis.call('HGET', key, 'last_error') or 'the worker running it stopped before finishing'
      redis.call('HSET', key, 'attempts', attempts - 1)
      failJob(key, KEYS[3], KEYS[4], id, 'failed after ' .. (attempts - 1) .. ' attempts: ' .. last, ARGV[4], ARGV[7], ARGV[5])
      redis.call('LREM', KEYS[2], 1, id)
      publishJobEvent(ARGV[8], key, id)
    else
      redis.call('HSET', key, 'status', 'in progress', 'started_at', ARGV[4], 'worker', ARGV[3], 'progress', '0')
      redis.call('HSET', KEYS[4], id, ARGV[3])
      publishJobEvent(ARGV[8], key, id)
      started[#started + 1] = redis.call('HGETALL', key)
    end
  end
end
return started
