--[[
  The queue's step of the transitions that end an attempt or a claim in two steps (Redis Cluster),
  on the queue's slot, after the job's record changed on its own slot (complete-job,
  fail-or-retry-job, start-job): see includes/settle-job-id, once per id.
  KEYS[1] the worker's processing list
  KEYS[2] the active hash
  KEYS[3] the pending list
  KEYS[4] the delayed zset
  ARGV[1] worker id
  ARGV[2] now (ms)
  ARGV[3..] for each id: id, action, extra (retry: when due, ms; held: the worker; else '')
  Returns how many ids were settled.
]]
--- @include "includes/settle-job-id"
local q = { processing = KEYS[1], active = KEYS[2], pending = KEYS[3], delayed = KEYS[4] }
local n = 0
for a = 3, #ARGV, 3 do
  if settleJobId(q, ARGV[1], ARGV[2], ARGV[a], ARGV[a + 1], ARGV[a + 2]) then n = n + 1 end
end
return n
