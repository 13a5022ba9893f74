-- POST /auth/login as a random seeded user (user<i>@bench.example, i in 1..BENCH_USERS, password
-- BENCH_PASSWORD): every request costs one bcrypt verify and opens a session.
local users = tonumber(os.getenv("BENCH_USERS") or "1")
local password = os.getenv("BENCH_PASSWORD") or "bench-password-1"
math.randomseed(os.time())
wrk.method = "POST"
wrk.path = "/auth/login"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local body = string.format('{"email":"user%d@bench.example","password":"%s"}', math.random(users), password)
  return wrk.format(nil, nil, nil, body)
end
