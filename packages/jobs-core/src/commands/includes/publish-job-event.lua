--[[
  Tells the API's event streams (GET /jobs/:id/events) about a job's new state: bumps the record's
  event counter `seq` and PUBLISHes the state as JSON on the job's events channel. Every transition
  calls it after its change, in the same script, so a subscriber never hears of a state that was not
  stored, and `seq` orders what it hears against what it reads.
  events: { prefix = the events channel prefix (a job's channel is prefix .. id), whenWatched = true
  to build and publish the event only while the job's channel has a subscriber }. A single Redis
  counts every subscriber (PUBSUB NUMSUB), so its one-step scripts ask: most jobs are never
  watched, and the event is a good part of what a transition costs Redis. A watcher subscribes
  before it reads the record, so it misses nothing. On a cluster a subscriber may sit on another
  node: the scripts a cluster runs publish always. `seq` counts every transition either way.
  jobKey: the job hash; id: the job id
]]
local JOB_EVENT_FIELDS = { 'status', 'progress', 'attempts', 'error', 'last_error', 'started_at', 'finished_at' }
local function publishJobEvent (events, jobKey, id)
  local seq = redis.call('HINCRBY', jobKey, 'seq', 1)
  local channel = events.prefix .. id
  if events.whenWatched and redis.call('PUBSUB', 'NUMSUB', channel)[2] == 0 then return end
  local values = redis.call('HMGET', jobKey, unpack(JOB_EVENT_FIELDS))
  local event = { id = id, seq = seq }
  for i, field in ipairs(JOB_EVENT_FIELDS) do
    if values[i] then event[field] = values[i] end
  end
  redis.call('PUBLISH', channel, cjson.encode(event))
end
