-- wrk script: lease calls on the quota function, spread over TENANTS tenants and INSTANCES
-- gateway instances, CLAIMS claims per call (tenant tokens-per-minute, then requests-per-minute,
-- tokens-per-day, and the shared account's tokens-per-minute). Each claim reports a little use
-- against the current minute and asks for a share. PREFIX, KEY, TENANTS, INSTANCES, CLAIMS and
-- ACCOUNT come from the environment.
local prefix = os.getenv("PREFIX") or "bench"
local key = os.getenv("KEY") or "none"
local tenants = tonumber(os.getenv("TENANTS") or "64")
local instances = tonumber(os.getenv("INSTANCES") or "8")
local claims = tonumber(os.getenv("CLAIMS") or "1")
local account = os.getenv("ACCOUNT") or "bench-account"
local tiers = { "interactive", "standard", "batch" }

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. key

local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

init = function(args)
  math.randomseed(os.time() * 1000 + (seed or 0))
end

local function claim(resource, window, extra)
  return string.format(
    '{"resource":"%s","window":%d,"used":%d,"want":%d%s}',
    resource, window, math.random(0, 50), math.random(100, 5000), extra or "")
end

request = function()
  local tenant = string.format("%s-t%d", prefix, math.random(1, tenants))
  local instance = string.format("%s-gw%d", prefix, math.random(1, instances))
  local minute = math.floor(os.time() / 60) * 60000
  local parts = { claim("tenant/" .. tenant .. "/tokens-per-minute", minute) }
  if claims >= 2 then parts[#parts + 1] = claim("tenant/" .. tenant .. "/requests-per-minute", minute) end
  if claims >= 3 then parts[#parts + 1] = claim("tenant/" .. tenant .. "/tokens-per-day", 0) end
  if claims >= 4 then
    parts[#parts + 1] = claim("account/" .. account .. "/tokens-per-minute", 0,
      string.format(',"client":"%s","tier":"%s"', tenant, tiers[math.random(1, 3)]))
  end
  local body = '{"instance":"' .. instance .. '","claims":[' .. table.concat(parts, ",") .. ']}'
  return wrk.format(nil, nil, nil, body)
end

local non200 = 0
response = function(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write +
      summary.errors.status + summary.errors.timeout))
end
