-- wrk script for the quota benchmark: a non-streaming chat completion with max_tokens, counting
-- answers by status. MODEL, KEY and MAX_TOKENS come from the environment.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("KEY") or "none")
wrk.body = '{"model":"' .. (os.getenv("MODEL") or "gpt-4o-mini") ..
  '","max_tokens":' .. (os.getenv("MAX_TOKENS") or "64") ..
  ',"messages":[{"role":"user","content":"Tell me about the rivers of Europe."}]}'

-- DELAY_MS (optional): each connection waits this long between requests, so the offered rate is
-- at most connections x 1000 / DELAY_MS requests/s whatever the gateway's speed (open-loop enough
-- to stay below a budget).
local delay_ms = tonumber(os.getenv("DELAY_MS") or "")
if delay_ms then
  delay = function() return delay_ms end
end

local counts = {}
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

init = function(args)
  ok, limited, other = 0, 0, 0
end

response = function(status, headers, body)
  if status == 200 then ok = ok + 1
  elseif status == 429 then limited = limited + 1
  else other = other + 1 end
end

done = function(summary, latency, requests)
  local o, l, x = 0, 0, 0
  for _, thread in ipairs(threads) do
    o = o + thread:get("ok")
    l = l + thread:get("limited")
    x = x + thread:get("other")
  end
  io.write(string.format("RESULT ok=%d limited=%d other=%d errors=%d p50_ms=%.3f p99_ms=%.3f\n",
    o, l, x, summary.errors.connect + summary.errors.read + summary.errors.write +
      summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
