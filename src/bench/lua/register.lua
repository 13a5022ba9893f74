-- POST /auth/register with a new email each time: one bcrypt hash, a user and a session per request.
-- Start the server with RATELIMIT_REGISTER_PER_IP_HOUR raised: every request comes from one IP.
math.randomseed(os.time())
local run = string.format("%08x", math.random(0, 0x7fffffff))
local n = 0
wrk.method = "POST"
wrk.path = "/auth/register"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local body = string.format('{"email":"reg-%s-%d@bench.example","password":"register-password-1","name":"Reg %d"}', run, n, n)
  return wrk.format(nil, nil, nil, body)
end
