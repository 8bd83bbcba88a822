--[[
  Every index look-up of one search, in one round trip that sees one gene data version.

  Input:
    KEYS[1] the current-version pointer

    ARGV[1]    the start of every per-version key (keys.genes.versionPrefix)
    ARGV[2]    the symbols hash's suffix;  ARGV[3] the prefixes sorted set's suffix
    ARGV[4]    the name-words hash's suffix
    ARGV[5]    the query text (lower-cased)
    ARGV[6]    "1" to read symbols starting with the text (a trailing * in the query), else "0"
    ARGV[7]    the text's bucket in a field index (field-index.ts, indexBucket)
    ARGV[8]    how many name words follow, n
    ARGV[9 .. 8+n]  the words
    ARGV[9+n ..]    the cross-reference field indexes' suffixes

  Output:
    false when no data is loaded, else { version, exact symbol matches (the symbol index entry or false),
    { prefix members }, { word -> ids lists, false for a word no name has },
    { cross-reference ids lists, false where the field has no such value } }

  Every key is the prefix, the version the pointer holds and a suffix: they share the pointer's
  hash tag, so they live in the same cluster slot.
]]
--- @include "includes/index-entry"
local version = redis.call('GET', KEYS[1])
if not version then return false end
local base = ARGV[1] .. version
local text = ARGV[5]
local exact = redis.call('HGET', base .. ARGV[2], text)
local prefixed = {}
if ARGV[6] == '1' then
  prefixed = redis.call('ZRANGEBYLEX', base .. ARGV[3], '[' .. text, '[' .. text .. '\244\143\191\191')
end
local wordCount = tonumber(ARGV[8])
local words = {}
if wordCount > 0 then
  words = redis.call('HMGET', base .. ARGV[4], unpack(ARGV, 9, 8 + wordCount))
end
local xrefs = {}
for i = 9 + wordCount, #ARGV do
  xrefs[#xrefs + 1] = indexEntry(base .. ARGV[i], ARGV[7], text)
end
return { version, exact, prefixed, words, xrefs }
