--[[
  Reads fields of one hash of the current gene data version, in one round trip that sees one version.

  Input:
    KEYS[1] the current-version pointer

    ARGV[1]    the start of every per-version key (keys.genes.versionPrefix)
    ARGV[2]    the end of the hash's key after the version id (keys.genes.versionSuffix.*)
    ARGV[3..]  the fields to read

  Output:
    false when no data is loaded, else { the version, { the fields' values (HMGET), nil for a
    missing field } }

  The hash's name is the prefix, the version the pointer holds and the suffix: it shares the
  pointer's hash tag, so it lives in the same cluster slot.
]]
local version = redis.call('GET', KEYS[1])
if not version then return false end
return { version, redis.call('HMGET', ARGV[1] .. version .. ARGV[2], unpack(ARGV, 3)) }
