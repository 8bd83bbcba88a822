--[[
  A claim's second step in two steps (Redis Cluster), on the job's own slot, after take-job-ids
  moved the id into this worker's processing list: see includes/start-job.
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
--- @include "includes/start-job"
return startJob(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], { prefix = ARGV[5] }, ARGV[6])
