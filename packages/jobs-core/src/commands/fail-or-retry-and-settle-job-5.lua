--[[
  After an attempt threw, in one step, on a single Redis (a cluster takes two: fail-or-retry-job-1
  on the job's slot, then settle-job-ids-4): includes/fail-or-retry-job, then includes/settle-job-id
  with its outcome.
  KEYS[1] the job hash
  KEYS[2] the worker's processing list
  KEYS[3] the active hash
  KEYS[4] the pending list
  KEYS[5] the delayed zset
  ARGV[1] worker id
  ARGV[2] the claim's token (its attempt number)
  ARGV[3] error message
  ARGV[4] '1' when a retry may help
  ARGV[5] max attempts
  ARGV[6] finished time (epoch ms)
  ARGV[7] how long a failed job is kept (ms)
  ARGV[8] the events channel prefix (a job's channel is prefix .. id)
  ARGV[9] job id
  ARGV[10] when a retry is due (ms)
  Returns 'retry', 'failed', or 'stale' when the claim was stale.
]]
--- @include "includes/fail-or-retry-job"
--- @include "includes/settle-job-id"
local outcome = failOrRetryJob(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], { prefix = ARGV[8], whenWatched = true }, ARGV[9])
local q = { processing = KEYS[2], active = KEYS[3], pending = KEYS[4], delayed = KEYS[5] }
settleJobId(q, ARGV[1], ARGV[6], ARGV[9], outcome, outcome == 'retry' and ARGV[10] or '')
return outcome
