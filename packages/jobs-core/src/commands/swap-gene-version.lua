--[[
  Makes a fully written gene data version current, if the version the load started from still is.

  Input:
    KEYS[1]                the current-version pointer
    KEYS[2..ARGV[4]+1]     the new version's keys (they lose their staging TTL)
    KEYS[ARGV[4]+2..]      the replaced version's keys, as many (absent on the first load; they get
                           ARGV[3] to live)

    ARGV[1] the new version id
    ARGV[2] the version the load started from ('' for none)
    ARGV[3] how long (ms) the replaced version stays readable
    ARGV[4] how many keys one version has

  Output:
    1, or the error CONFLICT when another version became current meanwhile
]]
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[2] then
  return redis.error_reply('CONFLICT the gene data changed while loading')
end
local perVersion = tonumber(ARGV[4])
for i = 2, perVersion + 1 do redis.call('PERSIST', KEYS[i]) end
redis.call('SET', KEYS[1], ARGV[1])
for i = perVersion + 2, #KEYS do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
return 1
