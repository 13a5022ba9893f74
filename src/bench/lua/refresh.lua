-- POST /auth/refresh, each refresh token used once: it starts from the seeded tokens (one a line in
-- env BENCH_REFRESH_TOKENS; at least as many as connections) and goes on with the new token that
-- each answer carries, so every request is a real rotation (read, spend, insert, touch, commit).
local file = os.getenv("BENCH_REFRESH_TOKENS")
if file == nil or file == "" then error("BENCH_REFRESH_TOKENS is not set") end
local queue, head, tail = {}, 1, 0
for line in io.lines(file) do tail = tail + 1; queue[tail] = line end
wrk.method = "POST"
wrk.path = "/auth/refresh"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local token = queue[head]
  if token == nil then token = "none-left" else queue[head] = nil; head = head + 1 end
  return wrk.format(nil, nil, nil, '{"refresh_token":"' .. token .. '"}')
end
response = function(status, headers, body)
  if status == 200 then
    local token = body:match('"refresh_token"%s*:%s*"([^"]+)"')
    if token then tail = tail + 1; queue[tail] = token end
  end
end
