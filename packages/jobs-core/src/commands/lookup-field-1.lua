--[[
  Looks values up in one field index of the current gene data version, in one round trip that sees
  one version.

  Input:
    KEYS[1] the current-version pointer

    ARGV[1]    the start of every per-version key (keys.genes.versionPrefix)
    ARGV[2]    the end of the field index's key after the version id
    ARGV[3..]  pairs: a value's bucket in the index (field-index.ts, indexBucket), the (lower-cased) value

  Output:
    false when no data is loaded, else { the version, { per value, in order: its genes'
    comma-separated numeric ids, or nil when no gene has it } }

  The index is named by the prefix, the version the pointer holds and a suffix: it shares the
  pointer's hash tag, so it lives in the same cluster slot.
]]
--- @include "includes/index-entry"
local version = redis.call('GET', KEYS[1])
if not version then return false end
local key = ARGV[1] .. version .. ARGV[2]
-- Values often share a bucket: every bucket is read once, all in one HMGET.
local names = {}
local slot = {}
for i = 3, #ARGV, 2 do
  local bucket = ARGV[i]
  if not slot[bucket] then
    names[#names + 1] = bucket
    slot[bucket] = #names
  end
end
local packed = redis.call('HMGET', key, unpack(names))
local found = {}
for i = 3, #ARGV, 2 do
  found[#found + 1] = entryIn(packed[slot[ARGV[i]]], ARGV[i], ARGV[i + 1])
end
return { version, found }
