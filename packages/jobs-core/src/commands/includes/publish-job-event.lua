--[[
  Tells the API's event streams (GET /jobs/:id/events) about a job's new state: bumps the record's
  event counter `seq` and PUBLISHes the state as JSON on the job's events channel. Every transition
  calls it after its change, in the same script, so a subscriber never hears of a state that was not
  stored, and `seq` orders what it hears against what it reads.
  channelPrefix: the events channel prefix (a job's channel is prefix .. id); jobKey: the job hash;
  id: the job id
]]
local JOB_EVENT_FIELDS = { 'status', 'progress', 'attempts', 'error', 'last_error', 'started_at', 'finished_at' }
local function publishJobEvent (channelPrefix, jobKey, id)
  local seq = redis.call('HINCRBY', jobKey, 'seq', 1)
  local values = redis.call('HMGET', jobKey, unpack(JOB_EVENT_FIELDS))
  local event = { id = id, seq = seq }
  for i, field in ipairs(JOB_EVENT_FIELDS) do
    if values[i] then event[field] = values[i] end
  end
  redis.call('PUBLISH', channelPrefix .. id, cjson.encode(event))
end
