--[[
  Looks symbols up in the current gene data version, in one round trip that sees one version: the
  genes each symbol names, with their projection (symbol, name, location…).

  Input:
    KEYS[1] the current-version pointer

    ARGV[1]    the start of every per-version key (keys.genes.versionPrefix)
    ARGV[2]    the symbols hash's suffix;  ARGV[3] the projection sorted set's suffix
    ARGV[4..]  the (lower-cased) symbols

  Output:
    false when no data is loaded, else one list per symbol, in input order: { rank, projection
    member, rank, projection member, … } in the symbol index's order (empty when nothing matches);
    rank is 0 approved, 1 previous, 2 alias, 3 withdrawn

  Every key is the prefix, the version the pointer holds and a suffix: they share the pointer's
  hash tag, so they live in the same cluster slot.
]]
local version = redis.call('GET', KEYS[1])
if not version then return false end
local base = ARGV[1] .. version
local projection = base .. ARGV[3]
local found = redis.call('HMGET', base .. ARGV[2], unpack(ARGV, 4))
local answers = {}
for i = 1, #found do
  local matches = {}
  if found[i] then
    -- Entries are `<rank digit><numeric id>`, comma-separated.
    for rank, id in string.gmatch(found[i], '(%d)(%d+)') do
      local member = redis.call('ZRANGEBYSCORE', projection, id, id, 'LIMIT', 0, 1)[1]
      if member then
        matches[#matches + 1] = rank
        matches[#matches + 1] = member
      end
    end
  end
  answers[i] = matches
end
return answers
