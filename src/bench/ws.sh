#!/usr/bin/env bash
# Latchkey's realtime benchmark (issue 12, "Speed"), from the project root after `mvn -q -DskipTests package`:
#   1. ../shared/bench/ws/compare-ws.sh latchkey wsbare socketio: fan-out, fixed rate, many rooms and idle
#      memory side by side, server on CPU 0, generator on CPU 1, ratios within one run (see its README);
#   2. a reconnect storm: 10,000 sockets registering-then-connecting and authenticating at once
#      (--connect-concurrency 10000), with the kernel's listen overflow and drop counters before and after;
#   3. GET /users/me (wrk, 16 connections, on the generator's CPU) alone and during a fan-out run.
# One markdown report: target/bench-ws/ws-<time>.md. Needs what ../shared/bench/ws needs (built once with
# ../shared/bench/ws/build-ws-peers.sh), plus wrk and nstat (iproute2).
# Env: SHARED=../shared PARTS="compare storm me" REPEAT=1 STORM_SOCKETS=10000 PORT=18292 OUT=target/bench-ws
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
SHARED=$(cd "${SHARED:-$ROOT/../shared}" && pwd)
PARTS=${PARTS:-compare storm me}
OUT=${OUT:-target/bench-ws}
PORT=${PORT:-18292}
STORM_SOCKETS=${STORM_SOCKETS:-10000}
SECRET=ws-bench-secret-0123456789abcdef0123456789abcdef
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
REPORT="$OUT/ws-$STAMP.md"
GEN="$SHARED/bench/ws/chat-bench.js"
ulimit -n "$(ulimit -Hn)"

server_pid=
start_server() {
  local dir; dir=$(mktemp -d)
  SERVER_PORT=$PORT DB_URL="jdbc:sqlite:$dir/bench.db" JWT_SECRET=$SECRET BCRYPT_COST=4 RATELIMIT_ENABLED=false \
    CHAT_MESSAGES_PER_MINUTE=1000000 CHAT_MAX_ROOM_MEMBERS=100000 JWT_ACCESS_TTL=PT2H MAIL_OUTBOX_DIR="$dir/outbox" \
    taskset -c 0 java -jar target/latchkey.jar > "$OUT/server-$1.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 240); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && return; sleep 0.5; done
  echo "the server did not start" >&2; exit 1
}
stop_server() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
trap stop_server EXIT
counter() { nstat -az "$1" 2>/dev/null | awk -v k="$1" '$1 == k {print $2}'; }

{
  echo "# Realtime benchmark, $STAMP"
  echo
  echo "Machine: $(nproc) CPUs, $(uname -r), $(java -version 2>&1 | head -1), node $(node --version); server on CPU 0, generator and wrk on CPU 1."
  echo
} > "$REPORT"

if [[ " $PARTS " == *" compare "* ]]; then
  LATCHKEY_DIR=$ROOT RESULTS_DIR="$OUT/compare" REPEAT=${REPEAT:-1} "$SHARED/bench/ws/compare-ws.sh" latchkey wsbare socketio | tee "$OUT/compare.log"
  { echo "## Side by side (compare-ws.sh, REPEAT=${REPEAT:-1})"; echo; cat "$(ls -t "$OUT"/compare/ws-compare-*.md | head -1)"; echo; } >> "$REPORT"
fi

if [[ " $PARTS " == *" storm "* ]]; then
  start_server storm
  # The kernel caps the listen backlog at net.core.somaxconn; a storm needs it above the 4,096 most systems have.
  if [[ -w /proc/sys/net/core/somaxconn && $(cat /proc/sys/net/core/somaxconn) -lt 16384 ]]; then echo 16384 > /proc/sys/net/core/somaxconn; fi
  overflows=$(counter TcpExtListenOverflows); drops=$(counter TcpExtListenDrops)
  taskset -c 1 node "$GEN" --target latchkey --url "http://127.0.0.1:$PORT" --scenario idle --sockets "$STORM_SOCKETS" \
    --connect-concurrency "$STORM_SOCKETS" --idle 5 --pid "$server_pid" --out "$OUT/storm.json" 2> "$OUT/storm.log" > /dev/null
  overflows=$(( $(counter TcpExtListenOverflows) - overflows )); drops=$(( $(counter TcpExtListenDrops) - drops ))
  stop_server
  {
    echo "## Reconnect storm: $STORM_SOCKETS sockets connecting and authenticating at once"
    echo
    echo "| sockets ready | failed | connect and auth, s | listen overflows | listen drops | KiB per idle socket | backlog (ss) |"
    echo "|---:|---:|---:|---:|---:|---:|---|"
    jq -r --arg o "$overflows" --arg d "$drops" '"| \(.setup.sockets_ready) | \(.setup.sockets_failed) | \(.setup.connect_s) | \($o) | \($d) | \(.idle.kib_per_socket) | 16384 requested, somaxconn '"$(cat /proc/sys/net/core/somaxconn)"' |"' "$OUT/storm.json"
    echo
  } >> "$REPORT"
fi

if [[ " $PARTS " == *" me "* ]]; then
  start_server me
  token=$(curl -sf -X POST "http://127.0.0.1:$PORT/auth/register" -H 'Content-Type: application/json' \
    -d '{"email":"me@bench.test","password":"bench-password-me"}' | jq -r .access_token)
  me() { taskset -c 1 wrk -t1 -c16 -d"$1" -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/users/me" | awk '/Requests\/sec/ {print $2}'; }
  me 20s > /dev/null
  alone=$(me 10s)
  taskset -c 1 node "$GEN" --target latchkey --url "http://127.0.0.1:$PORT" --scenario fanout --sockets 1000 --senders 16 \
    --warmup 30 --duration 20 --rate 50 --pid "$server_pid" --out "$OUT/me-fanout.json" 2> "$OUT/me-fanout.log" > /dev/null &
  gen=$!
  until grep -q 'saturation, 16 senders' "$OUT/me-fanout.log" 2>/dev/null; do sleep 0.5; done
  sleep 3
  during=$(me 10s)
  wait "$gen" || true
  # Once more alone, now that the JIT has compiled the fan-out too: the higher of the two counts.
  after=$(me 10s)
  alone=$(echo "if ($after > $alone) $after else $alone" | bc)
  stop_server
  {
    echo "## GET /users/me during the fan-out (1,000 sockets, 16 senders saturating)"
    echo
    echo "| /users/me alone, req/s | during the fan-out, req/s | ratio | fan-out events/s meanwhile |"
    echo "|---:|---:|---:|---:|"
    echo "| $alone | $during | $(echo "scale=2; $during / $alone" | bc) | $(jq -r '.saturation.events_per_s' "$OUT/me-fanout.json") |"
    echo
  } >> "$REPORT"
fi
echo "report: $REPORT"
