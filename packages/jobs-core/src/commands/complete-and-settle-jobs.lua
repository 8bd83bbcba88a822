--[[
  Completes jobs of one worker in one step, on a single Redis (a cluster takes two: complete-job-2
  on each job's slot, then settle-job-ids-4): for each job, includes/complete-job, then
  includes/settle-job-id ('stale' when the claim was stale, which leaves the queue alone).
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
--- @include "includes/complete-job"
--- @include "includes/settle-job-id"
local worker, now, ttlMs = ARGV[1], ARGV[2], ARGV[3]
local q = { processing = KEYS[1], active = KEYS[2] }
local outcomes = {}
local a, k = 5, 3
while a <= #ARGV do
  local id, token, n = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2])
  local outcome = completeJob(KEYS[k], KEYS[k + 1], worker, token, now, ttlMs, ARGV[4], id, ARGV, a + 3, a + 2 + n)
  settleJobId(q, worker, now, id, outcome == 0 and 'stale' or 'complete', '')
  outcomes[#outcomes + 1] = outcome
  a, k = a + 3 + n, k + 2
end
return outcomes
