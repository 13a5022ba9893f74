-- GET /users?q=<prefix> with a bearer token (env BENCH_TOKEN), cycling through prefixes (env
-- BENCH_PREFIXES, space-separated) that match from about a tenth of the seeded users to none.
local token = os.getenv("BENCH_TOKEN")
if token == nil or token == "" then error("BENCH_TOKEN is not set") end
local prefixes = {}
for p in string.gmatch(os.getenv("BENCH_PREFIXES") or "a ol oli olivia12 zed z x q", "%S+") do prefixes[#prefixes + 1] = p end
local i = 0
wrk.headers["Authorization"] = "Bearer " .. token
request = function()
  i = i % #prefixes + 1
  return wrk.format("GET", "/users?q=" .. prefixes[i])
end
