--[[
  The fence every transition after a claim passes: the job is in progress under this worker, in the
  attempt the worker claimed (its token). A worker that froze, was given up for dead and woke up
  again holds an older attempt, or none, and is refused.
  state: HMGET of 'status', 'worker', 'attempts'; worker: the caller's id; token: its attempt
]]
local function holdsClaim (state, worker, token)
  return state[1] == 'in progress' and state[2] == worker and state[3] == token
end
