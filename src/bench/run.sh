#!/usr/bin/env bash
# Latchkey's own load benchmark: seeds a database of N users and N sessions (src/bench/Seed.java,
# straight into SQLite), starts target/latchkey.jar on it pinned to one CPU, drives it with wrk
# pinned to another, and prints one markdown table (also target/bench/bench-<time>.md).
#
# Usage, from the project root, after `mvn -q -DskipTests package`:
#   src/bench/run.sh                              # SIZES="1000 1000000", every scenario
#   SIZES=1000 SCENARIOS="me login" src/bench/run.sh
#
# Scenarios (each: a discarded warm-up pass of WARMUP, then one measured pass of DURATION):
#   ceiling   before the servers: one-core bcrypt verify and hash per second at BCRYPT_COST on
#             SERVER_CPU (src/bench/BcryptCeiling.java), the ceiling for login and register
#   me        GET /users/me, one token, CONNS connections         (the hot path)
#   me-many   GET /users/me, 1,000 tokens of sessions spread over all N users
#   login     POST /auth/login as random seeded users, LOGIN_CONNS connections (bcrypt verify)
#   register  POST /auth/register, a new email each time, LOGIN_CONNS connections (bcrypt hash)
#   refresh   POST /auth/refresh, every refresh token used once (rotation, one commit each)
#   search    GET /users?q=<prefix>, prefixes matching ~12 % of users down to none
#   search-c1 the same from one connection: the latency of a search itself, without queueing
#   search-paced the same from CONNS connections that each pause PACE_MS between requests:
#             latency at a steady rate below what one core can serve (about half of it)
#   flood     GET /users/me (CONNS) while 32 clients hammer POST /auth/login
#   conns     GET /users/me at 16, 64 and 256 connections
# Env (defaults): SIZES="1000 1000000"
#   SCENARIOS="ceiling me me-many login register refresh search search-c1 search-paced flood conns"
#   WARMUP=20s DURATION=10s CONNS=16 LOGIN_CONNS=4 FLOOD_CONNS=32 PACE_MS=6 SERVER_CPU=0 WRK_CPU=1 PORT=18181
#   BCRYPT_COST=10 BCRYPT_SECONDS=8 BCRYPT_PASSES=3 JAVA_OPTS= (JVM flags for the server) OUT=target/bench JAR=target/latchkey.jar
# Needs: java 17+, wrk, curl, jq, taskset (util-linux). wrk: `apt-get install -y wrk` (Debian,
# Ubuntu), `brew install wrk` (macOS), or build https://github.com/wg/wrk with `make`.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"

SIZES=${SIZES:-1000 1000000}
SCENARIOS=${SCENARIOS:-ceiling me me-many login register refresh search search-c1 search-paced flood conns}
WARMUP=${WARMUP:-20s}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-16}
LOGIN_CONNS=${LOGIN_CONNS:-4}
FLOOD_CONNS=${FLOOD_CONNS:-32}
PACE_MS=${PACE_MS:-6}
SERVER_CPU=${SERVER_CPU:-0}
WRK_CPU=${WRK_CPU:-1}
PORT=${PORT:-18181}
OUT=${OUT:-target/bench}
JAR=${JAR:-target/latchkey.jar}
JAVA_OPTS=${JAVA_OPTS:-}
export BCRYPT_COST=${BCRYPT_COST:-10}
export JWT_SECRET=${JWT_SECRET:-bench-hs256-secret-0123456789abcdef0123456789abcdef}
export BENCH_PASSWORD=${BENCH_PASSWORD:-bench-password-1}
BASE="http://127.0.0.1:$PORT"

for tool in java wrk curl jq; do
  command -v "$tool" >/dev/null || { echo "$tool not found (wrk: apt-get install -y wrk, or brew install wrk)" >&2; exit 2; }
done
[[ -f $JAR ]] || { echo "no $JAR: run mvn -q -DskipTests package first" >&2; exit 2; }
pin_server=(); pin_wrk=()
if command -v taskset >/dev/null; then
  pin_server=(taskset -c "$SERVER_CPU"); pin_wrk=(taskset -c "$WRK_CPU")
  taskset -cp "$WRK_CPU" $$ >/dev/null
else
  echo "taskset not found: server and wrk are not pinned, figures will be noisier" >&2
fi
if curl -s -o /dev/null --max-time 1 "$BASE/health"; then echo "something already answers on $BASE; set PORT" >&2; exit 2; fi

mkdir -p "$OUT/raw"
OUT=$(cd "$OUT" && pwd)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS="$OUT/bench-$STAMP.jsonl"
: > "$RESULTS"
tmp=$(mktemp -d)
SERVER_PID=""
stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
cleanup() { stop_server; jobs -p | xargs -r kill 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

server_cpu_ticks() { sed 's/.*) //' "/proc/$SERVER_PID/stat" | awk '{print $12 + $13}'; }
rss_mb() { awk '/^VmRSS:/{printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status"; }
TCK=$(getconf CLK_TCK)

# wrk_pass SCRIPT CONNS DURATION -> the WRKRESULT fields
wrk_pass() {
  local script=$1 conns=$2 dur=$3 path=${4:-/}
  cat "$HERE/lua/$script.lua" "$HERE/lua/report.lua" > "$tmp/$script.lua"
  "${pin_wrk[@]}" wrk -t1 -c"$conns" -d"$dur" --timeout 10s --latency -s "$tmp/$script.lua" "$BASE$path" > "$tmp/wrk.out" 2>&1 \
    || { cat "$tmp/wrk.out" >&2; return 1; }
  cat "$tmp/wrk.out" >> "$OUT/raw/wrk-$STAMP.log"
  grep '^WRKRESULT' "$tmp/wrk.out" | sed 's/^WRKRESULT //'
}

# measure SIZE NAME SCRIPT CONNS: warm-up, then one measured pass; appends a JSON line
measure() {
  local size=$1 name=$2 script=$3 conns=$4 warm=${5:-$WARMUP} line c0 c1
  echo "  $name: warm-up $warm, then $DURATION at -c$conns" >&2
  [[ $warm == 0 || $warm == 0s ]] || wrk_pass "$script" "$conns" "$warm" > /dev/null
  c0=$(server_cpu_ticks); b0=$(machine_busy); t0=$(machine_total); w0=$(own_cpu)
  line=$(wrk_pass "$script" "$conns" "$DURATION")
  c1=$(server_cpu_ticks); b1=$(machine_busy); t1=$(machine_total); w1=$(own_cpu)
  # Other processes' CPU during the pass (not the server, not wrk), in % of the whole machine.
  OTHER_PCT=$(awk -v o=$(((b1 - b0) - (c1 - c0) - (w1 - w0))) -v t=$((t1 - t0)) 'BEGIN { v = t > 0 ? 100 * o / t : 0; printf "%.1f", v < 0 ? 0 : v }')
  record "$size" "$name" "$conns" "$line" $((c1 - c0))
}

# Before each scenario: wait (at most 60 s) until the server is idle, so that work left over from
# the last one (a login flood leaves up to FLOOD_CONNS bcrypt hashes queued) is not measured in the next.
wait_idle() {
  local a b
  for _ in $(seq 1 120); do
    a=$(server_cpu_ticks); sleep 0.5; b=$(server_cpu_ticks)
    (( b - a <= 1 )) && return 0
  done
  echo "  the server did not go idle within 60 s" >&2
}

machine_busy() { awk '/^cpu /{print $2 + $3 + $4}' /proc/stat; }
machine_total() { awk '/^cpu /{t = 0; for (i = 2; i <= NF; i++) t += $i; print t}' /proc/stat; }
own_cpu() { sed 's/.*) //' /proc/$$/stat | awk '{print $12 + $13 + $14 + $15}'; }

record() { # SIZE NAME CONNS "k=v ..." CPU_TICKS
  local json
  json=$(tr ' ' '\n' <<<"$4" | jq -R 'capture("(?<k>[^=]+)=(?<v>.*)") | {(.k): (.v | tonumber)}' | jq -s add)
  jq -c --argjson size "$1" --arg name "$2" --argjson conns "$3" --argjson ticks "$5" --argjson tck "$TCK" --argjson rss "$(rss_mb)" \
    --argjson other "${OTHER_PCT:-null}" \
    '. + {size: $size, scenario: $name, conns: $conns, rss_mb: $rss, other_cpu_pct: $other,
          server_cpu_us_per_req: (if .requests > 0 then ($ticks / $tck * 1e6 / .requests) else null end)}' <<<"$json" >> "$RESULTS"
  OTHER_PCT=""
  jq -r '"    \(.rps | floor) req/s  p50 \(.p50_ms) ms  p99 \(.p99_ms) ms  errors \(.non2xx + .err_connect + .err_read + .err_write + .err_timeout)  server CPU \(.server_cpu_us_per_req // 0 | floor) us/req  other processes \(.other_cpu_pct // "-") %"' <<<"$(tail -1 "$RESULTS")" >&2
}

CEILING="$OUT/bcrypt-$STAMP.txt"
if [[ " $SCENARIOS " == *" ceiling "* ]]; then
  echo "== bcrypt ceiling: cost $BCRYPT_COST, one thread on CPU $SERVER_CPU" >&2
  "${pin_server[@]}" java -cp "$JAR" "$HERE/BcryptCeiling.java" "$BCRYPT_COST" "${BCRYPT_SECONDS:-8}" "${BCRYPT_PASSES:-3}" | tee "$CEILING" >&2
fi

for size in $SIZES; do
  db="$OUT/db-$size"
  rm -rf "$db" && mkdir -p "$db"
  echo "== $size users: seeding $db/bench.db" >&2
  java -cp "$JAR" "$HERE/Seed.java" "$db/bench.db" "$size" "$db" 2>&1 | { grep -v ' INFO ' || true; } >&2
  export BENCH_USERS=$size BENCH_ACCESS_TOKENS="$db/access-tokens.txt" BENCH_REFRESH_TOKENS="$db/refresh-tokens.txt"

  echo "== $size users: starting $JAR ${JAVA_OPTS:+($JAVA_OPTS) }on CPU $SERVER_CPU" >&2
  # shellcheck disable=SC2086
  ( exec env SERVER_PORT="$PORT" DB_URL="jdbc:sqlite:$db/bench.db" \
      RATELIMIT_REGISTER_PER_IP_HOUR=1000000000 RATELIMIT_LOGIN_PER_IP=1000000000 \
      "${pin_server[@]}" java $JAVA_OPTS -jar "$JAR" ) > "$OUT/raw/server-$size-$STAMP.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do curl -s -o /dev/null --max-time 1 "$BASE/health" && break; sleep 0.1; done
  curl -sf -o /dev/null "$BASE/health" || { echo "server did not start; see $OUT/raw/server-$size-$STAMP.log" >&2; exit 1; }
  export BENCH_TOKEN
  BENCH_TOKEN=$(curl -sf -X POST -H 'Content-Type: application/json' \
    --data "{\"email\":\"user1@bench.example\",\"password\":\"$BENCH_PASSWORD\"}" "$BASE/auth/login" | jq -r .access_token)

  for scenario in $SCENARIOS; do
    [[ $scenario == ceiling ]] || wait_idle
    case $scenario in
      me|me-many|search) measure "$size" "$scenario" "$scenario" "$CONNS" ;;
      search-c1) measure "$size" search-c1 search 1 ;;
      search-paced) BENCH_DELAY_MS=$PACE_MS measure "$size" search-paced search "$CONNS" ;;
      ceiling) ;;
      login|register) measure "$size" "$scenario" "$scenario" "$LOGIN_CONNS" ;;
      refresh)
        # Tokens are spent as they are used: the warm-up takes the first half, the pass the rest.
        head -n 500 "$db/refresh-tokens.txt" > "$tmp/refresh-warm.txt"; tail -n +501 "$db/refresh-tokens.txt" > "$tmp/refresh-run.txt"
        BENCH_REFRESH_TOKENS="$tmp/refresh-warm.txt" wrk_pass refresh "$CONNS" "$WARMUP" > /dev/null
        BENCH_REFRESH_TOKENS="$tmp/refresh-run.txt" measure "$size" refresh refresh "$CONNS" 0 ;;
      flood)
        echo "  flood: $FLOOD_CONNS clients on /auth/login while /users/me is measured" >&2
        cat "$HERE/lua/login.lua" "$HERE/lua/report.lua" > "$tmp/flood.lua"
        secs=${DURATION%s}
        "${pin_wrk[@]}" wrk -t1 -c"$FLOOD_CONNS" -d"$((secs + 10))s" --timeout 30s -s "$tmp/flood.lua" "$BASE/" > "$tmp/flood.out" 2>&1 &
        flood_pid=$!
        sleep 3
        measure "$size" me-during-flood me "$CONNS" 5s
        wait "$flood_pid" || true
        record "$size" login-flood "$FLOOD_CONNS" "$(grep '^WRKRESULT' "$tmp/flood.out" | sed 's/^WRKRESULT //')" 0 ;;
      conns)
        for c in 16 64 256; do measure "$size" "me-c$c" me "$c" 5s; done ;;
      *) echo "unknown scenario $scenario" >&2; exit 2 ;;
    esac
  done
  stop_server
done

# The table: one row per scenario, one column per size, and the ratio of the largest size to the smallest.
sizes=($SIZES)
{
  echo "Latchkey bench $STAMP on $(getconf _NPROCESSORS_ONLN) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), server on CPU $SERVER_CPU, wrk on CPU $WRK_CPU, BCRYPT_COST=$BCRYPT_COST${JAVA_OPTS:+, JAVA_OPTS=$JAVA_OPTS}"
  echo
  printf '| scenario | conns |'; for s in "${sizes[@]}"; do printf ' %s users: req/s | p99 ms | errors |' "$s"; done
  ((${#sizes[@]} > 1)) && printf ' req/s %s ÷ %s |' "${sizes[-1]}" "${sizes[0]}"; echo
  printf '|---|---:|'; for _ in "${sizes[@]}"; do printf -- '---:|---:|---:|'; done; ((${#sizes[@]} > 1)) && printf -- '---:|'; echo
  jq -r -s --argjson sizes "$(printf '%s\n' "${sizes[@]}" | jq -s .)" '
    (map(.scenario) | unique_by(.) ) as $names
    | (map(.scenario) | reduce .[] as $n ([]; if index([$n]) then . else . + [$n] end)) as $order
    | $order[] as $n
    | [.[] | select(.scenario == $n)] as $rows
    | [$sizes[] as $s | ($rows | map(select(.size == $s)) | first)] as $by
    | "| \($n) | \($rows[0].conns) |"
      + ($by | map(if . == null then " - | - | - |" else " \(.rps | floor) | \(.p99_ms * 100 | round / 100) | \(.non2xx + .err_connect + .err_read + .err_write + .err_timeout) |" end) | join(""))
      + (if ($sizes | length) > 1 then
           (if $by[0] != null and $by[-1] != null and $by[0].rps > 0 then " \($by[-1].rps / $by[0].rps * 100 | round / 100) |" else " - |" end)
         else "" end)' "$RESULTS"
  if [[ -s $CEILING ]]; then
    verify=$(awk '/op=verify/{for (i = 1; i <= NF; i++) if ($i ~ /^per_s=/) print substr($i, 7)}' "$CEILING")
    hash=$(awk '/op=hash/{for (i = 1; i <= NF; i++) if ($i ~ /^per_s=/) print substr($i, 7)}' "$CEILING")
    echo
    echo "bcrypt ceiling in this run (one core, cost $BCRYPT_COST): verify $verify/s, hash $hash/s."
    jq -r -s --argjson v "$verify" --argjson h "$hash" '
      .[] | select(.scenario == "login" or .scenario == "register")
      | "\(.scenario) with \(.size) users: \(.rps * 100 | round / 100)/s = \(.rps / (if .scenario == "login" then $v else $h end) * 100 | round / 100)x the \(if .scenario == "login" then "verify" else "hash" end) ceiling"' "$RESULTS"
  fi
  echo
  jq -r -s '"Other processes used at most \(map(.other_cpu_pct // 0) | max) % of the machine during a measured pass."' "$RESULTS"
  echo "Raw results: $RESULTS (server CPU us/request, RSS and latencies per pass)."
} | tee "$OUT/bench-$STAMP.md"
