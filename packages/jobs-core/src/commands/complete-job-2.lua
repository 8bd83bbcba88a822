--[[
  Completing a job in two steps (Redis Cluster), the first, on the job's own slot: see
  includes/complete-job. The queue's side (settle-job-ids) follows; a crash between the two leaves
  the id in the processing list, and the claim that finds it later drops a finished job.
  KEYS[1] the job hash
  KEYS[2] the result hash
  ARGV[1] worker id
  ARGV[2] the claim's token (its attempt number)
  ARGV[3] finished time (epoch ms)
  ARGV[4] how long to keep the job and its result (ms)
  ARGV[5] the events channel prefix (a job's channel is prefix .. id)
  ARGV[6] job id
  ARGV[7..] the result's field/value pairs
  Returns 1 when completed, 2 when this claim completed it before, 0 when the claim was stale.
]]
--- @include "includes/complete-job"
return completeJob(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4], { prefix = ARGV[5] }, ARGV[6], ARGV, 7, #ARGV)
