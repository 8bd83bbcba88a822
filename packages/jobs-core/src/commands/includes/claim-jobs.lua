--[[
  A claim on a single Redis, whole: takes up to `count` ids (take-job-ids), starts each job
  (start-job) and settles the ids it did not start (settle-job-id). Each record key is
  recordBefore .. id .. recordAfter (keys.jobs.recordParts): the ids are only known once taken.
  q: { pending, processing, active, delayed } (keys); count; worker: its id; now: ms; maxAttempts;
  ttlMs: how long finished jobs are kept; events: where to announce (see publish-job-event);
  recordBefore, recordAfter; moved: the ids a blocking BLMOVE already moved.
  Returns { id, field, value, ... } for each job started.
]]
--- @include "includes/take-job-ids"
--- @include "includes/start-job"
--- @include "includes/settle-job-id"
local function claimJobs (q, count, worker, now, maxAttempts, ttlMs, events, recordBefore, recordAfter, moved)
  local started = {}
  for _, id in ipairs(takeJobIds(q.pending, q.processing, q.active, q.delayed, count, worker, now, moved)) do
    local reply = startJob(recordBefore .. id .. recordAfter, worker, now, maxAttempts, ttlMs, events, id)
    if reply[1] == 'started' then
      reply[1] = id
      started[#started + 1] = reply
    else
      local action, extra = unstartedSettlement(reply)
      settleJobId(q, worker, now, id, action, extra)
    end
  end
  return started
end
