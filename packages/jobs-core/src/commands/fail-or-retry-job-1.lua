--[[
  After an attempt threw, in two steps (Redis Cluster), the first, on the job's own slot: see
  includes/fail-or-retry-job. The queue's side (settle-job-ids) follows.
  KEYS[1] the job hash
  ARGV[1] worker id
  ARGV[2] the claim's token (its attempt number)
  ARGV[3] error message
  ARGV[4] '1' when a retry may help
  ARGV[5] max attempts
  ARGV[6] finished time (epoch ms)
  ARGV[7] how long a failed job is kept (ms)
  ARGV[8] the events channel prefix (a job's channel is prefix .. id)
  ARGV[9] job id
  Returns 'retry', 'failed', or 'stale' when the claim was stale.
]]
--- @include "includes/fail-or-retry-job"
return failOrRetryJob(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], { prefix = ARGV[8] }, ARGV[9])
