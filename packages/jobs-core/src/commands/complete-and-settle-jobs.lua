--[[
  Completes jobs of one worker in one step, on a single Redis (a cluster takes two: complete-job-2
  on each job's slot, then settle-job-ids-4): includes/complete-jobs.
  KEYS[1] the worker's processing list
  KEYS[2] the active hash
  KEYS[3..] for each job: its hash, then its result hash
  ARGV[1] worker id
  ARGV[2] finished time (epoch ms)
  ARGV[3] how long to keep the jobs and their results (ms)
  ARGV[4] the events channel prefix (a job's channel is prefix .. id)
  ARGV[5..] for each job: its id, the claim's token (its attempt number), how many values its
  result's field/value pairs hold (n), then those n values
  Returns, per job, 1 when completed, 2 when this claim completed it before, 0 when the claim was stale.
]]
--- @include "includes/complete-jobs"
local q = { processing = KEYS[1], active = KEYS[2] }
return completeJobs(q, ARGV[1], ARGV[2], ARGV[3], { prefix = ARGV[4], whenWatched = true }, KEYS, 3, ARGV, 5)
