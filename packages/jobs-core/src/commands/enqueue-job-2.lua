--[[
  The queue's side of creating jobs (after their records were written, each on its job's own
  slot), or of an operator's retry: lists each new job and queues its id at the back. A batch of
  new jobs is queued by one call, in order.
  KEYS[1] the job listing (list, newest first)
  KEYS[2] the pending list
  ARGV[1..] for each job: its id, then its created time (ms), or '' for a retry (the listing
  stays as it is); the listing keeps the order of creation, not the time
  Returns how many ids were queued.
]]
for i = 1, #ARGV, 2 do
  local id, created = ARGV[i], ARGV[i + 1]
  if created ~= '' then redis.call('LPUSH', KEYS[1], id) end
  redis.call('LPUSH', KEYS[2], id)
end
return #ARGV / 2
