-- POST /rooms/{BENCH_ROOM}/messages into one room, every request with the next of the tokens in
-- env BENCH_SENDER_TOKENS (one a line, each a different member: ChatSeed.java writes 64), round-
-- robin, so with -c64 and 64 tokens every connection's request is another member's. Each message
-- has a client_id unique to the pass (env BENCH_RUN tags it) unless BENCH_CLIENT_ID=0.
-- Counts the 201 answers (setup/thread:get, so it works with any -t) and prints them after the
-- report.lua line: WRKSEND created=N other2xx=N. Put this file after report.lua (it wraps done).
local file = os.getenv("BENCH_SENDER_TOKENS")
local room = os.getenv("BENCH_ROOM")
if file == nil or file == "" or room == nil or room == "" then error("BENCH_SENDER_TOKENS and BENCH_ROOM must be set") end
local run = os.getenv("BENCH_RUN") or tostring(os.time())
local with_client_id = os.getenv("BENCH_CLIENT_ID") ~= "0"

local threads = {}
setup = function(thread)
  thread:set("thread_no", #threads + 1)
  threads[#threads + 1] = thread
end

local headers, i, n = {}, 0, 0
created, other2xx = 0, 0
init = function(args)
  for line in io.lines(file) do
    headers[#headers + 1] = { ["Authorization"] = "Bearer " .. line, ["Content-Type"] = "application/json" }
  end
  if #headers == 0 then error("no tokens in " .. file) end
end

local path = "/rooms/" .. room .. "/messages"
request = function()
  i = i % #headers + 1
  n = n + 1
  local body
  if with_client_id then
    body = string.format('{"text":"Bench message %d of %s, thread %d","client_id":"%s-%d-%d"}', n, run, thread_no, run, thread_no, n)
  else
    body = string.format('{"text":"Bench message %d of %s, thread %d"}', n, run, thread_no)
  end
  return wrk.format("POST", path, headers[i], body)
end

response = function(status, headers, body)
  if status == 201 then created = created + 1 elseif status >= 200 and status < 300 then other2xx = other2xx + 1 end
end

local report_done = done
done = function(summary, latency, requests)
  if report_done then report_done(summary, latency, requests) end
  local c, o = 0, 0
  for _, t in ipairs(threads) do c = c + t:get("created"); o = o + t:get("other2xx") end
  io.write(string.format("WRKSEND created=%d other2xx=%d\n", c, o))
end
