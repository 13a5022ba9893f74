-- A mixed warm-up right after the server starts, before any scenario: cycles through GET /users/me
-- and the newest page of each room in env BENCH_ROOMS (space-separated ids) as a member (env
-- BENCH_TOKEN), and GET /rooms as the reader (env BENCH_READER_TOKEN), so that the code they share
-- (HTTP, auth, JSON, JDBI) is compiled before the first measured pass. Reads only: the rooms stay
-- as seeded. The requests are formatted once, in init.
local member = os.getenv("BENCH_TOKEN")
local reader = os.getenv("BENCH_READER_TOKEN")
if member == nil or member == "" or reader == nil or reader == "" then error("BENCH_TOKEN and BENCH_READER_TOKEN must be set") end
local requests, i = {}, 0
init = function(args)
  local as_member = { ["Authorization"] = "Bearer " .. member }
  requests[#requests + 1] = wrk.format("GET", "/users/me", as_member)
  for room in string.gmatch(os.getenv("BENCH_ROOMS") or "", "%S+") do
    requests[#requests + 1] = wrk.format("GET", "/rooms/" .. room .. "/messages?limit=50", as_member)
  end
  requests[#requests + 1] = wrk.format("GET", "/rooms", { ["Authorization"] = "Bearer " .. reader })
end
request = function()
  i = i % #requests + 1
  return requests[i]
end
