--[[
  Adds forms drawn on request (svg, png, csv, tsv) to a finished job's result hash, only while the
  result still exists: a result that expired meanwhile is not brought back without its TTL.
  KEYS[1] the result hash
  ARGV    field, value, field, value, ...
  Returns 1 when added, 0 when the result is gone.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
