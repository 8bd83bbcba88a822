--[[
  Finding a value in a field index. A field index is a hash of buckets (field-index.ts,
  indexBucket): a value's hash field is its bucket, which holds "\n<value>\t<ids>" per value; a
  field starting with "=" holds one value's ids alone.
]]

-- The ids (comma-separated) of `value` in `packed`, the content of its hash field `bucket` (false when missing), or false.
local function entryIn (packed, bucket, value)
  if not packed then return false end
  if string.sub(bucket, 1, 1) == '=' then return packed end
  local needle = '\n' .. value .. '\t'
  local _, last = string.find(packed, needle, 1, true)
  if not last then return false end
  local stop = string.find(packed, '\n', last + 1, true)
  return string.sub(packed, last + 1, (stop or 0) - 1)
end

-- The ids (comma-separated) of `value` in the field index `key`, whose hash field for it is `bucket`, or false.
local function indexEntry (key, bucket, value)
  return entryIn(redis.call('HGET', key, bucket), bucket, value)
end
