-- GET /users/me with one bearer token (env BENCH_TOKEN): the hot path.
local token = os.getenv("BENCH_TOKEN")
if token == nil or token == "" then error("BENCH_TOKEN is not set") end
wrk.method = "GET"
wrk.path = "/users/me"
wrk.headers["Authorization"] = "Bearer " .. token
