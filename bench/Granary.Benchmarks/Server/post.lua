-- wrk script for the feature server load benchmark (run-load.sh): POSTs Feast's /get-online-features body for
-- ENTITIES pseudo-random users (of IDS) and the first FEATURES features of view "stats". 1,024 requests are
-- formatted once in init, so the Lua cost per request is a table lookup. done() prints one parseable RESULT line.
local entities = tonumber(os.getenv("ENTITIES") or "1")
local features = tonumber(os.getenv("FEATURES") or "10")
local ids = tonumber(os.getenv("IDS") or "100000")
local requests = {}
local n = 0

function init(args)
  math.randomseed(42)
  local names = {}
  for f = 0, features - 1 do
    names[#names + 1] = '"stats:f' .. f .. '"'
  end
  local list = table.concat(names, ",")
  for i = 1, 1024 do
    local keys = {}
    for e = 1, entities do
      keys[e] = tostring(math.random(0, ids - 1))
    end
    local body = '{"features":[' .. list .. '],"entities":{"user_id":[' .. table.concat(keys, ",") .. ']}}'
    requests[i] = wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
  end
end

function request()
  n = n + 1
  return requests[(n % 1024) + 1]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.0f p50=%.3f p90=%.3f p99=%.3f p999=%.3f max=%.3f errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
