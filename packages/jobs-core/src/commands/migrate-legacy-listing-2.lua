--[[
  Moves the job listing of releases before it was a list (a sorted set: creation time -> id) to
  the tail of the listing, newest first, a chunk at a time so no call blocks Redis for long. Each
  chunk moves atomically: an id is in one of the two, never lost, never in both.
  KEYS[1] the legacy sorted set
  KEYS[2] the listing (list, newest first)
  ARGV[1] how many ids to move at most
  Returns how many ids are left to move.
]]
local moved = redis.call('ZPOPMAX', KEYS[1], ARGV[1])
-- ZPOPMAX answers id, score, id, score, ... newest first: appended in that order, the tail stays oldest.
for i = 1, #moved, 2 do
  redis.call('RPUSH', KEYS[2], moved[i])
end
return redis.call('ZCARD', KEYS[1])
