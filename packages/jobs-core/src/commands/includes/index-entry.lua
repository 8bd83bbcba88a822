--[[
  The genes (comma-separated numeric ids) one value names in a field index, or false. A field index
  is a hash of buckets (field-index.ts, indexBucket): `bucket` is the value's hash field, and a
  bucket holds "\n<value>\t<ids>" per value; a field starting with "=" holds one value's ids alone.
  key: the field index; bucket: the value's field in it; value: the lower-cased value
]]
local function indexEntry (key, bucket, value)
  local packed = redis.call('HGET', key, bucket)
  if not packed then return false end
  if string.sub(bucket, 1, 1) == '=' then return packed end
  local needle = '\n' .. value .. '\t'
  local _, last = string.find(packed, needle, 1, true)
  if not last then return false end
  local stop = string.find(packed, '\n', last + 1, true)
  return string.sub(packed, last + 1, (stop or 0) - 1)
end
