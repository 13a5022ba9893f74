-- GET the URL's path and query (history: /rooms/{id}/messages?limit=50; rooms: /rooms) with one
-- bearer token (env BENCH_TOKEN, a member's or the reader's, written by ChatSeed.java).
local token = os.getenv("BENCH_TOKEN")
if token == nil or token == "" then error("BENCH_TOKEN is not set") end
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token
