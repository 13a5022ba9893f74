-- GET /users?q=<prefix> with a bearer token (env BENCH_TOKEN), cycling through prefixes (env
-- BENCH_PREFIXES, space-separated) that match from about a tenth of the seeded users to none.
-- The requests are formatted once, in init. With BENCH_DELAY_MS set, each connection pauses that
-- long between a response and its next request (a steady rate instead of as fast as possible).
local token = os.getenv("BENCH_TOKEN")
if token == nil or token == "" then error("BENCH_TOKEN is not set") end
local requests, i = {}, 0
init = function(args)
  for p in string.gmatch(os.getenv("BENCH_PREFIXES") or "a ol oli olivia12 zed z x q", "%S+") do
    requests[#requests + 1] = wrk.format("GET", "/users?q=" .. p, { ["Authorization"] = "Bearer " .. token })
  end
end
request = function()
  i = i % #requests + 1
  return requests[i]
end

local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "")
if pause then
  delay = function() return pause end
end
