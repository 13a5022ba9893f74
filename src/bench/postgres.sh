#!/usr/bin/env bash
# SQLite against PostgreSQL, one run: the same jar serves GET /users/me, POST /auth/login and
# POST /rooms/{id}/messages on each database in turn, pinned to one CPU, driven by wrk on the
# other; one markdown table with each figure and the PostgreSQL ÷ SQLite ratio (issue 15,
# "Speed"), also written to target/bench/postgres-<time>.md.
#
# Usage, from the project root, after `mvn -q -DskipTests package`:
#   src/bench/postgres.sh
#   ROUNDS=2 DURATION=10s src/bench/postgres.sh
#
# The PostgreSQL server is started here from Debian's postgresql package (as `nobody` when run as
# root), in a temporary folder, with its durable defaults (fsync and synchronous_commit on), on the
# same machine and disk as the SQLite file. Each database gets 64 users registered through the
# API (bcrypt cost BCRYPT_COST), all members of one room. ROUNDS alternates the databases
# (sqlite, postgresql, sqlite, ...) so that a drift of the machine shows.
# SCENARIOS may add "revocation": then two nodes on one database, and the time from a logout on
# node A to node B's first 401 for that token, CROSS_SAMPLES times (src/bench/CrossNode.java).
# Env (defaults): SCENARIOS="me login send" ROUNDS=1 WARMUP=15s DURATION=10s CONNS=16 LOGIN_CONNS=4 SEND_CONNS=64 BCRYPT_COST=10
#   SERVER_CPU=0 WRK_CPU=1 PORT=18383 PG_PORT=18384 OUT=target/bench JAR=target/latchkey.jar
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HERE/../.."
SCENARIOS=${SCENARIOS:-me login send}; ROUNDS=${ROUNDS:-1}; WARMUP=${WARMUP:-15s}; DURATION=${DURATION:-10s}
CONNS=${CONNS:-16}; LOGIN_CONNS=${LOGIN_CONNS:-4}; SEND_CONNS=${SEND_CONNS:-64}
SERVER_CPU=${SERVER_CPU:-0}; WRK_CPU=${WRK_CPU:-1}; PORT=${PORT:-18383}; PG_PORT=${PG_PORT:-18384}
OUT=${OUT:-target/bench}; JAR=${JAR:-target/latchkey.jar}
export BCRYPT_COST=${BCRYPT_COST:-10} BENCH_PASSWORD=bench-password-1 BENCH_USERS=64
export JWT_SECRET=bench-hs256-secret-0123456789abcdef0123456789abcdef
BASE="http://127.0.0.1:$PORT"
for tool in java wrk curl jq taskset; do command -v "$tool" >/dev/null || { echo "$tool not found" >&2; exit 2; }; done
[[ -f $JAR ]] || { echo "no $JAR: run mvn -q -DskipTests package first" >&2; exit 2; }
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[[ -x $PG_BIN/initdb ]] || { echo "no PostgreSQL: apt-get install -y postgresql" >&2; exit 2; }
taskset -cp "$WRK_CPU" $$ >/dev/null
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
tmp=$(mktemp -d); chmod 755 "$tmp"
as_pg=(); [[ $(id -u) == 0 ]] && as_pg=(runuser -u nobody --)
mkdir "$tmp/pg"; [[ $(id -u) == 0 ]] && chown nobody "$tmp/pg"
SERVER_PID=""
stop_server() { [[ -z $SERVER_PID ]] || { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }; }
cleanup() {
  stop_server
  "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$tmp/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

"${as_pg[@]}" "$PG_BIN/initdb" -D "$tmp/pg/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$tmp/pg/data" -l "$tmp/pg/log" -w \
  -o "-p $PG_PORT -k $tmp/pg -c listen_addresses=127.0.0.1" start >/dev/null
ticks() { sed 's/.*) //' "/proc/$SERVER_PID/stat" | awk '{print $12 + $13}'; }

# pass NAME SCRIPT CONNS: warm-up, one measured pass; prints "rps p99_ms us_per_req"
pass() {
  local name=$1 script=$2 conns=$3 c0 c1 line
  cat "$HERE/lua/report.lua" "$HERE/lua/$script.lua" > "$tmp/$script.lua"
  wrk -t1 -c"$conns" -d"$WARMUP" --timeout 10s -s "$tmp/$script.lua" "$BASE/" >/dev/null
  c0=$(ticks)
  line=$(wrk -t1 -c"$conns" -d"$DURATION" --timeout 10s --latency -s "$tmp/$script.lua" "$BASE/" | grep '^WRKRESULT' | sed 's/^WRKRESULT //')
  c1=$(ticks)
  tr ' ' '\n' <<<"$line" | jq -R 'capture("(?<k>[^=]+)=(?<v>.*)") | {(.k): (.v | tonumber)}' | jq -s add \
    | jq -r --argjson t $((c1 - c0)) --argjson tck "$(getconf CLK_TCK)" \
      '"\(.rps | floor) \(.p99_ms) \(($t / $tck * 1e6 / .requests) | floor) \(.non2xx + .err_connect + .err_read + .err_write + .err_timeout)"'
}

declare -A RESULT
WRK_SCENARIOS=${SCENARIOS//revocation/}
WRK_ROUNDS=$ROUNDS; [[ -n ${WRK_SCENARIOS// /} ]] || WRK_ROUNDS=0
for round in $(seq 1 "$WRK_ROUNDS"); do
  for db in sqlite postgresql; do
    if [[ $db == sqlite ]]; then
      rm -rf "$tmp/sqlite"; mkdir "$tmp/sqlite"; url="jdbc:sqlite:$tmp/sqlite/bench.db"
    else
      "${as_pg[@]}" "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench" postgres
      url="jdbc:postgresql://127.0.0.1:$PG_PORT/bench"
    fi
    echo "== round $round, $db: $url" >&2
    ( exec env SERVER_PORT="$PORT" DB_URL="$url" DB_USERNAME=postgres UPLOADS_DIR="$tmp/uploads-$db" MAIL_OUTBOX_DIR="$tmp/outbox-$db" \
        RATELIMIT_REGISTER_PER_IP_HOUR=1000000000 RATELIMIT_LOGIN_PER_IP=1000000000 CHAT_MESSAGES_PER_MINUTE=100000000 \
        taskset -c "$SERVER_CPU" java -jar "$JAR" ) > "$tmp/server-$db.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 300); do curl -s -o /dev/null --max-time 1 "$BASE/health" && break; sleep 0.2; done
    curl -sf -o /dev/null "$BASE/health" || { cat "$tmp/server-$db.log" >&2; exit 1; }
    : > "$tmp/tokens"
    for i in $(seq 1 "$BENCH_USERS"); do
      curl -sf -H 'Content-Type: application/json' -d "{\"email\":\"user$i@bench.example\",\"password\":\"$BENCH_PASSWORD\"}" \
        "$BASE/auth/register" | jq -r .access_token >> "$tmp/tokens"
    done
    owner=$(head -1 "$tmp/tokens")
    room=$(curl -sf -H "Authorization: Bearer $owner" -H 'Content-Type: application/json' -d '{"name":"bench"}' "$BASE/rooms" | jq -r .id)
    tail -n +2 "$tmp/tokens" | while read -r t; do curl -sf -o /dev/null -X POST -H "Authorization: Bearer $t" "$BASE/rooms/$room/join"; done
    export BENCH_TOKEN=$owner BENCH_SENDER_TOKENS="$tmp/tokens" BENCH_ROOM=$room
    for s in $WRK_SCENARIOS; do
      case $s in
        me) RESULT[$round,$db,me]=$(pass me me "$CONNS") ;;
        login) RESULT[$round,$db,login]=$(pass login login "$LOGIN_CONNS") ;;
        send) RESULT[$round,$db,send]=$(BENCH_RUN="r$round$db" pass send chat-send "$SEND_CONNS") ;;
        *) echo "unknown scenario $s" >&2; exit 2 ;;
      esac
    done
    for s in $WRK_SCENARIOS; do echo "  $s: ${RESULT[$round,$db,$s]} (req/s, p99 ms, server µs/req, errors)" >&2; done
    stop_server
  done
done

# Two nodes on one database: a logout on A, refused on B after how long (src/bench/CrossNode.java).
CROSS=""
if [[ " $SCENARIOS " == *" revocation "* ]]; then
  "${as_pg[@]}" "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench" postgres
  pids=()
  for node in a b; do
    port=$PORT; [[ $node == b ]] && port=$((PORT + 10))
    cpu=$SERVER_CPU; [[ $node == b ]] && cpu=$WRK_CPU
    ( exec env SERVER_PORT="$port" DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/bench" DB_USERNAME=postgres BCRYPT_COST=4 \
        UPLOADS_DIR="$tmp/uploads-$node" MAIL_OUTBOX_DIR="$tmp/outbox-$node" RATELIMIT_REGISTER_PER_IP_HOUR=1000000000 \
        taskset -c "$cpu" java -jar "$JAR" ) > "$tmp/server-node-$node.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 300); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/health" && break; sleep 0.2; done
  done
  echo "== two nodes: revocation on A, refused on B (${CROSS_SAMPLES:-200} samples)" >&2
  CROSS=$(java "$HERE/CrossNode.java" "$BASE" "http://127.0.0.1:$((PORT + 10))" "${CROSS_SAMPLES:-200}" | grep '^CROSSNODE')
  echo "  $CROSS" >&2
  kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true
fi

{
  echo "Latchkey on SQLite and on PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), $STAMP, $(getconf _NPROCESSORS_ONLN) CPUs, server on CPU $SERVER_CPU, wrk on CPU $WRK_CPU, BCRYPT_COST=$BCRYPT_COST, warm-up $WARMUP, pass $DURATION"
  echo
  echo "| round | scenario | conns | SQLite req/s | p99 ms | µs CPU/req | PostgreSQL req/s | p99 ms | µs CPU/req | PostgreSQL ÷ SQLite | errors |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for round in $(seq 1 "$WRK_ROUNDS"); do
    for s in $WRK_SCENARIOS; do
      read -r r1 p1 u1 e1 <<<"${RESULT[$round,sqlite,$s]}"; read -r r2 p2 u2 e2 <<<"${RESULT[$round,postgresql,$s]}"
      conns=$CONNS; [[ $s == login ]] && conns=$LOGIN_CONNS; [[ $s == send ]] && conns=$SEND_CONNS
      echo "| $round | $s | $conns | $r1 | $p1 | $u1 | $r2 | $p2 | $u2 | $(awk -v a="$r2" -v b="$r1" 'BEGIN { printf "%.2f", a / b }') | $((e1 + e2)) |"
    done
  done
  [[ -z $CROSS ]] || { echo; echo "Two nodes, node A on CPU $SERVER_CPU and node B on CPU $WRK_CPU: a logout on A, then B asked until it answers 401: ${CROSS#CROSSNODE }"; }
  echo
  echo "µs CPU/req is the server process's CPU (user + system) per request; PostgreSQL's own processes are not in it."
} | tee "$OUT/postgres-$STAMP.md"
