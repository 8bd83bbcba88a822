--[[
  Completions of one worker on a single Redis, whole: for each job, complete-job, then
  settle-job-id ('stale' when the claim was stale, which leaves the queue alone).
  q: { processing, active } (keys); worker: its id; now: finished time (ms); ttlMs: how long to keep
  the jobs and their results; events: where to announce (see publish-job-event); keys, k: the
  first job's hash and result hash are keys[k] and keys[k + 1], then the next job's; args, a: from
  args[a] to the end, for each job: its id, the claim's token (its attempt number), how many values
  its result's field/value pairs hold (n), then those n values.
  Returns, per job, 1 when completed, 2 when this claim completed it before, 0 when the claim was stale.
]]
--- @include "includes/complete-job"
--- @include "includes/settle-job-id"
local function completeJobs (q, worker, now, ttlMs, events, keys, k, args, a)
  local outcomes = {}
  while a <= #args do
    local id, token, n = args[a], args[a + 1], tonumber(args[a + 2])
    local outcome = completeJob(keys[k], keys[k + 1], worker, token, now, ttlMs, events, id, args, a + 3, a + 2 + n)
    settleJobId(q, worker, now, id, outcome == 0 and 'stale' or 'complete', '')
    outcomes[#outcomes + 1] = outcome
    a, k = a + 3 + n, k + 2
  end
  return outcomes
end
