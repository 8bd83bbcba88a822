--[[
  The first step of an operator's retry (POST /jobs/:id/retry), on the job's own slot: marks a
  failed job 'retry_requested' and changes nothing else. The queue step (enqueue-job) follows, then
  retry-job resets the record. A crash after this step leaves a failed job (retrying again is
  allowed); after the queue step, the claim that meets the id does the reset itself (start-job).
  KEYS[1] the job hash
  KEYS[2] the result hash (where a complete job is: complete-job)
  Returns 'ok', or 'missing' (no such job), or the job's status when it is not failed.
]]
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return redis.call('HGET', KEYS[2], 'status') or 'missing' end
if status ~= 'failed' then return status end
redis.call('HSET', KEYS[1], 'retry_requested', '1')
return 'ok'
