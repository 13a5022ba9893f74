-- Appended to every scenario: one machine-readable summary line (WRKRESULT key=value ...).
-- non2xx counts responses with status > 399 (wrk's "Non-2xx or 3xx responses").
done = function(summary, latency, requests)
  local dur_s = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "WRKRESULT requests=%d duration_s=%.3f rps=%.2f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d err_connect=%d err_read=%d err_write=%d err_timeout=%d\n",
    summary.requests, dur_s, summary.requests / dur_s,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout))
end
