-- GET /users/me with many tokens (one per line in env BENCH_ACCESS_TOKENS, written by Seed.java):
-- sessions spread over the whole database, so lookups and caches see many users, not one.
-- The requests are formatted once, in init, so that wrk spends no more per request than for "me".
local file = os.getenv("BENCH_ACCESS_TOKENS")
if file == nil or file == "" then error("BENCH_ACCESS_TOKENS is not set") end
local requests, i = {}, 0
init = function(args)
  for line in io.lines(file) do
    requests[#requests + 1] = wrk.format("GET", "/users/me", { ["Authorization"] = "Bearer " .. line })
  end
  if #requests == 0 then error("no tokens in " .. file) end
end
request = function()
  i = i % #requests + 1
  return requests[i]
end
