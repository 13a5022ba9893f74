-- GET /users/me with many tokens (one per line in env BENCH_ACCESS_TOKENS, written by Seed.java):
-- sessions spread over the whole database, so lookups and caches see many users, not one.
local file = os.getenv("BENCH_ACCESS_TOKENS")
if file == nil or file == "" then error("BENCH_ACCESS_TOKENS is not set") end
local headers = {}
for line in io.lines(file) do headers[#headers + 1] = { ["Authorization"] = "Bearer " .. line } end
if #headers == 0 then error("no tokens in " .. file) end
local i = 0
request = function()
  i = i % #headers + 1
  return wrk.format("GET", "/users/me", headers[i])
end
