--[[
  A worker's completions and its next claim in one step, on a single Redis: includes/complete-jobs,
  then includes/claim-jobs (no ids from a blocking BLMOVE). One script and one round trip per
  batch where the two would take two scripts, sent together.
  KEYS[1] the worker's processing list
  KEYS[2] the active hash
  KEYS[3] the pending list
  KEYS[4] the delayed zset
  KEYS[5..] for each completed job: its hash, then its result hash
  ARGV[1] worker id
  ARGV[2] now (epoch ms): the completions' finished time and the claim's start
  ARGV[3] how long finished jobs and results are kept (ms)
  ARGV[4] the events channel prefix (a job's channel is prefix .. id)
  ARGV[5] max attempts
  ARGV[6] how many ids to claim
  ARGV[7] ARGV[8] what comes before and after a job id in its record's key
  ARGV[9..] for each completed job: its id, the claim's token (its attempt number), how many values
  its result's field/value pairs hold (n), then those n values
  Returns { outcomes (per job: 1 completed, 2 completed before by this claim, 0 stale),
  started ({ id, field, value, ... } per job started) }.
]]
--- @include "includes/complete-jobs"
--- @include "includes/claim-jobs"
local worker, now, ttlMs = ARGV[1], ARGV[2], ARGV[3]
local events = { prefix = ARGV[4], whenWatched = true }
local q = { processing = KEYS[1], active = KEYS[2], pending = KEYS[3], delayed = KEYS[4] }
local outcomes = completeJobs(q, worker, now, ttlMs, events, KEYS, 5, ARGV, 9)
return { outcomes, claimJobs(q, tonumber(ARGV[6]), worker, now, ARGV[5], ttlMs, events, ARGV[7], ARGV[8], {}) }
