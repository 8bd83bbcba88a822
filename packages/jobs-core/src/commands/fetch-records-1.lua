--[[
  Reads the records of the genes one indexed field value names, in the current gene data version,
  in one round trip that sees one version.

  Input:
    KEYS[1] the current-version pointer

    ARGV[1] the start of every per-version key (keys.genes.versionPrefix)
    ARGV[2] the end of the field index's key after the version id
    ARGV[3] the end of the records hash's key after the version id
    ARGV[4] the value's bucket in the field index (field-index.ts, indexBucket)
    ARGV[5] the (lower-cased) value

  Output:
    false when no data is loaded, else { the version, { the stored records in source order (empty
    when none) } }: they are decoded with that version's codebook

  Both hashes are named by the prefix, the version the pointer holds and a suffix: they share the
  pointer's hash tag, so they live in the same cluster slot.
]]
--- @include "includes/index-entry"
local version = redis.call('GET', KEYS[1])
if not version then return false end
local ids = indexEntry(ARGV[1] .. version .. ARGV[2], ARGV[4], ARGV[5])
if not ids then return { version, {} } end
local records = {}
local batch = {}
local recordsKey = ARGV[1] .. version .. ARGV[3]
-- HMGET in slices: unpack() takes a few thousand values at most, and a value may name thousands.
local function flush()
  if #batch == 0 then return end
  local found = redis.call('HMGET', recordsKey, unpack(batch))
  for i = 1, #found do
    if found[i] then records[#records + 1] = found[i] end
  end
  batch = {}
end
for id in string.gmatch(ids, '[^,]+') do
  batch[#batch + 1] = id
  if #batch == 1000 then flush() end
end
flush()
return { version, records }
