--[[
  Reads fields of one job wherever it is: its record while it waits, runs or has failed, its
  result hash once complete (complete-job moves it there). Atomic, so a completion can never fall
  between the two reads.
  KEYS[1] the job hash
  KEYS[2] the result hash
  ARGV    the fields
  Returns their values (HMGET: nil where missing), all nil when there is no such job.
]]
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('HMGET', KEYS[1], unpack(ARGV)) end
return redis.call('HMGET', KEYS[2], unpack(ARGV))
