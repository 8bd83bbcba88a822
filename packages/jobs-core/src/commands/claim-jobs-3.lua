--[[
  Moves up to ARGV[2] job ids from the pending list to this worker's processing list, then starts
  each: status 'in progress', attempts + 1, started_at, worker. Ids whose record is gone or already
  finished are dropped; a job past its attempts is failed instead of started.
  KEYS[1] the pending list
  KEYS[2] this worker's processing list
  KEYS[3] the job expiries zset
  ARGV[1] job key prefix (a job's hash is prefix .. id)
  ARGV[2] how many ids to move
  ARGV[3] worker id
  ARGV[4] now (ISO)
  ARGV[5] now (ms)
  ARGV[6] max attempts
  ARGV[7] how long a failed job is kept (ms)
  ARGV[8..] ids already moved to the processing list by a blocking BLMOVE
  Returns the started jobs' records, each as a flat field/value array.
]]
--- @include "includes/fail-job"
local ids = {}
for i = 8, #ARGV do ids[#ids + 1] = ARGV[i] end
for _ = 1, tonumber(ARGV[2]) do
  local id = redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
  if not id then break end
  ids[#ids + 1] = id
end
local started = {}
for _, id in ipairs(ids) do
  local key = ARGV[1] .. id
  local status = redis.call('HGET', key, 'status')
  if status ~= 'submitted' and status ~= 'in progress' then
    redis.call('LREM', KEYS[2], 1, id)
  else
    local attempts = redis.call('HINCRBY', key, 'attempts', 1)
    if attempts > tonumber(ARGV[6]) then
      local last = redis.call('HGET', key, 'last_error') or 'the worker running it stopped before finishing'
      redis.call('HSET', key, 'attempts', attempts - 1)
      failJob(key, KEYS[3], id, 'failed after ' .. (attempts - 1) .. ' attempts: ' .. last, ARGV[4], ARGV[7], ARGV[5])
      redis.call('LREM', KEYS[2], 1, id)
    else
      redis.call('HSET', key, 'status', 'in progress', 'started_at', ARGV[4], 'worker', ARGV[3], 'progress', '0')
      started[#started + 1] = redis.call('HGETALL', key)
    end
  end
end
return started
