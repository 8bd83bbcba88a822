--[[
  A claim's first step in two steps (Redis Cluster), on the queue's slot: see includes/take-job-ids.
  start-job then starts each job on its own slot.
  KEYS[1] the pending list
  KEYS[2] this worker's processing list
  KEYS[3] the active hash
  KEYS[4] the delayed zset
  ARGV[1] how many ids to move
  ARGV[2] worker id
  ARGV[3] now (ms)
  ARGV[4..] ids already moved to the processing list by a blocking BLMOVE
  Returns the ids taken.
]]
--- @include "includes/take-job-ids"
-- A loop, not unpack(): unpack takes a few thousand values at most.
local moved = {}
for i = 4, #ARGV do moved[#moved + 1] = ARGV[i] end
return takeJobIds(KEYS[1], KEYS[2], KEYS[3], KEYS[4], tonumber(ARGV[1]), ARGV[2], ARGV[3], moved)
