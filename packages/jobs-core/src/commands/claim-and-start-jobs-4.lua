--[[
  A claim in one step, on a single Redis (not a cluster: the records live in other slots there, see
  take-job-ids-4 and start-job-1): includes/claim-jobs.
  KEYS[1] the pending list
  KEYS[2] this worker's processing list
  KEYS[3] the active hash
  KEYS[4] the delayed zset
  ARGV[1] how many ids to move
  ARGV[2] worker id
  ARGV[3] now (ms)
  ARGV[4] max attempts
  ARGV[5] how long finished jobs are kept (ms)
  ARGV[6] the events channel prefix (a job's channel is prefix .. id)
  ARGV[7] ARGV[8] what comes before and after a job id in its record's key
  ARGV[9..] ids already moved to the processing list by a blocking BLMOVE
  Returns { id, field, value, ... } for each job started.
]]
--- @include "includes/claim-jobs"
local q = { pending = KEYS[1], processing = KEYS[2], active = KEYS[3], delayed = KEYS[4] }
-- A loop, not unpack(): unpack takes a few thousand values at most.
local moved = {}
for i = 9, #ARGV do moved[#moved + 1] = ARGV[i] end
return claimJobs(q, tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4], ARGV[5], { prefix = ARGV[6], whenWatched = true }, ARGV[7], ARGV[8], moved)
