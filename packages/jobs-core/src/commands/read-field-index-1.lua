--[[
  Reads one whole field index of the current gene data version (every bucket), in one round trip
  that sees one version: for look-ups of many values at once.

  Input:
    KEYS[1] the current-version pointer

    ARGV[1] the start of every per-version key (keys.genes.versionPrefix)
    ARGV[2] the end of the field index's key after the version id

  Output:
    false when no data is loaded, else { the version, { bucket, packed entries, bucket, ... } }
    (field-index.ts, indexBucket)

  The index is named by the prefix, the version the pointer holds and a suffix: it shares the
  pointer's hash tag, so it lives in the same cluster slot.
]]
local version = redis.call('GET', KEYS[1])
if not version then return false end
return { version, redis.call('HGETALL', ARGV[1] .. version .. ARGV[2]) }
