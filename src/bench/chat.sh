#!/usr/bin/env bash
# Latchkey's chat benchmark: the disk's durable-commit ceiling, then for each size a database
# seeded straight into SQLite (src/bench/ChatSeed.java), target/latchkey.jar started on it pinned
# to one CPU, driven by wrk pinned to another; one markdown table with every figure and the ratios
# of the chat targets (issue 11, "Speed"), also written to target/bench/chat-<time>.md.
#
# Usage, from the project root, after `mvn -q -DskipTests package`:
#   src/bench/chat.sh                                   # SIZES="1000 1000000", every scenario
#   SIZES=1000 WARMUP=5s SEND_WARMUP=5s DURATION=5s CEILING_SECONDS=2 src/bench/chat.sh   # a quick check
#
# A database of SIZE has: 64 senders (each a member of rooms 1 and 2, one token each), the big
# room (SIZE messages), the small room (1,000 messages) and a reader in 200 inbox rooms holding
# 150,000 messages in all at every SIZE (49 to 1,454 a room), the reader's cursor behind in every
# one (0 or mid-way), so every room has unread messages and many hit the 1,000 cap: the inbox is
# the same in both databases, only the rest of the database grows.
# Each server first gets SERVER_WARMUP of mixed reads (lua/chat-mix.lua: me, both rooms' newest
# page, the reader's rooms), then each scenario a discarded warm-up pass of WARMUP and one measured
# pass of DURATION. Durations are in seconds: 30s, not 1m.
# Scenarios:
#   ceiling   before the servers: one-row durable transactions per second (WAL, synchronous=FULL,
#             one thread on SERVER_CPU) in a temporary file in OUT (src/bench/CommitCeiling.java);
#             measured again (one pass) right after each send, beside that database
#   history   GET /rooms/{big}/messages?limit=50 from one connection (the newest page of SIZE),
#             then history-1k, the same in the small room of 1,000
#   rooms     GET /rooms as the reader (200 rooms, unread counts; ROOMS_LIMIT, default the API's 20), one connection
#   me        GET /users/me, one token (lua/me.lua), at each of ME_CONNS connections
#   send      POST /rooms/{big}/messages, SEND_CONNS connections, each request the next of the 64
#             senders' tokens; warm-up SEND_WARMUP. Then the durability check: the room's rows grew
#             by at least the 201s that wrk counted (warm-up and pass), and its seqs are exactly 1..last_seq
# Whatever order SCENARIOS lists, they run as history, rooms, me, send: send adds to the big room
# that history pages. The ratios: send ÷ ceiling, send ÷ me, history and rooms largest ÷ smallest SIZE.
# Env (defaults): SIZES="1000 1000000" SCENARIOS="ceiling send me history rooms"
#   WARMUP=30s SERVER_WARMUP=$WARMUP SEND_WARMUP=60s (or WARMUP when that is longer) DURATION=10s ME_CONNS="16 64" SEND_CONNS=64
#   ROOMS_LIMIT= SEND_CLIENT_ID=1 (0: messages without client_id) CEILING_SECONDS=8 CEILING_PASSES=3
#   SERVER_CPU=0 WRK_CPU=1 PORT=18282 BCRYPT_COST=10 JAVA_OPTS= (JVM flags for the server) OUT=target/bench JAR=target/latchkey.jar
# The server runs with RATELIMIT_ENABLED=false (the send limit of 60 a minute per user is off).
# Needs: java 17+, wrk, curl, jq, taskset (util-linux). wrk: `apt-get install -y wrk` (Debian,
# Ubuntu), `brew install wrk` (macOS), or build https://github.com/wg/wrk with `make`.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"

secs() { local v=${1%s}; echo "${v:-0}"; }
SIZES=${SIZES:-1000 1000000}
SCENARIOS=${SCENARIOS:-ceiling send me history rooms}
WARMUP=${WARMUP:-30s}
SERVER_WARMUP=${SERVER_WARMUP:-$WARMUP}
SEND_WARMUP=${SEND_WARMUP:-$(( $(secs "$WARMUP") > 60 ? $(secs "$WARMUP") : 60 ))s}
DURATION=${DURATION:-10s}
ME_CONNS=${ME_CONNS:-16 64}
SEND_CONNS=${SEND_CONNS:-64}
ROOMS_LIMIT=${ROOMS_LIMIT:-}
SEND_CLIENT_ID=${SEND_CLIENT_ID:-1}
CEILING_SECONDS=${CEILING_SECONDS:-8}
CEILING_PASSES=${CEILING_PASSES:-3}
SERVER_CPU=${SERVER_CPU:-0}
WRK_CPU=${WRK_CPU:-1}
PORT=${PORT:-18282}
OUT=${OUT:-target/bench}
JAR=${JAR:-target/latchkey.jar}
JAVA_OPTS=${JAVA_OPTS:-}
export BCRYPT_COST=${BCRYPT_COST:-10}
export JWT_SECRET=${JWT_SECRET:-bench-hs256-secret-0123456789abcdef0123456789abcdef}
export BENCH_PASSWORD=${BENCH_PASSWORD:-bench-password-1}
BASE="http://127.0.0.1:$PORT"
COMMAND="SIZES=\"$SIZES\" SCENARIOS=\"$SCENARIOS\" WARMUP=$WARMUP SERVER_WARMUP=$SERVER_WARMUP SEND_WARMUP=$SEND_WARMUP DURATION=$DURATION ME_CONNS=\"$ME_CONNS\" SEND_CONNS=$SEND_CONNS${ROOMS_LIMIT:+ ROOMS_LIMIT=$ROOMS_LIMIT} SEND_CLIENT_ID=$SEND_CLIENT_ID CEILING_SECONDS=$CEILING_SECONDS CEILING_PASSES=$CEILING_PASSES SERVER_CPU=$SERVER_CPU WRK_CPU=$WRK_CPU BCRYPT_COST=$BCRYPT_COST${JAVA_OPTS:+ JAVA_OPTS=\"$JAVA_OPTS\"} src/bench/chat.sh"

for tool in java wrk curl jq; do
  command -v "$tool" >/dev/null || { echo "$tool not found (wrk: apt-get install -y wrk, or brew install wrk)" >&2; exit 2; }
done
[[ -f $JAR ]] || { echo "no $JAR: run mvn -q -DskipTests package first" >&2; exit 2; }
for s in $SCENARIOS; do
  [[ " ceiling send me history rooms " == *" $s "* ]] || { echo "unknown scenario $s (ceiling send me history rooms)" >&2; exit 2; }
done
has() { [[ " $SCENARIOS " == *" $1 "* ]]; }
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
RESULTS="$OUT/chat-$STAMP.jsonl"
RAW="$OUT/raw/chat-wrk-$STAMP.log"
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
machine_busy() { awk '/^cpu /{print $2 + $3 + $4}' /proc/stat; }
machine_total() { awk '/^cpu /{t = 0; for (i = 2; i <= NF; i++) t += $i; print t}' /proc/stat; }
own_cpu() { sed 's/.*) //' /proc/$$/stat | awk '{print $12 + $13 + $14 + $15}'; }
TCK=$(getconf CLK_TCK)

# wrk_pass SCRIPT CONNS DURATION PATH -> the WRKRESULT fields (and WRKSEND's, for send); raw output to $RAW
wrk_pass() {
  local script=$1 conns=$2 dur=$3 path=$4
  cat "$HERE/lua/report.lua" "$HERE/lua/$script.lua" > "$tmp/$script.lua"
  echo "== $PASS_LABEL: wrk -t1 -c$conns -d$dur $path" >> "$RAW"
  "${pin_wrk[@]}" wrk -t1 -c"$conns" -d"$dur" --timeout 10s --latency -s "$tmp/$script.lua" "$BASE$path" > "$tmp/wrk.out" 2>&1 \
    || { cat "$tmp/wrk.out" >&2; return 1; }
  cat "$tmp/wrk.out" >> "$RAW"
  grep -E '^(WRKRESULT|WRKSEND) ' "$tmp/wrk.out" | sed -E 's/^WRK[A-Z]+ //' | paste -sd ' ' -
}

# measure SIZE NAME SCRIPT CONNS PATH [WARMUP]: warm-up, then one measured pass; appends a JSON line.
# WARM_LINE keeps the warm-up's fields (send counts its 201s too).
measure() {
  local size=$1 name=$2 script=$3 conns=$4 path=$5 warm=${6:-$WARMUP} line c0 c1 b0 b1 t0 t1 w0 w1
  echo "  $name: warm-up $warm, then $DURATION at -c$conns  $path" >&2
  WARM_LINE=""
  [[ $(secs "$warm") == 0 ]] || WARM_LINE=$(PASS_LABEL="$size $name warm-up" wrk_pass "$script" "$conns" "$warm" "$path")
  c0=$(server_cpu_ticks); b0=$(machine_busy); t0=$(machine_total); w0=$(own_cpu)
  line=$(PASS_LABEL="$size $name" wrk_pass "$script" "$conns" "$DURATION" "$path")
  c1=$(server_cpu_ticks); b1=$(machine_busy); t1=$(machine_total); w1=$(own_cpu)
  # Other processes' CPU during the pass (not the server, not wrk), in % of the whole machine.
  OTHER_PCT=$(awk -v o=$(((b1 - b0) - (c1 - c0) - (w1 - w0))) -v t=$((t1 - t0)) 'BEGIN { v = t > 0 ? 100 * o / t : 0; printf "%.1f", v < 0 ? 0 : v }')
  record "$size" "$name" "$conns" "$line" $((c1 - c0))
}

# Before each scenario: wait (at most 60 s) until the server is idle, so that work left over from
# the last one (queued sends, a checkpoint) is not measured in the next.
wait_idle() {
  local a b
  for _ in $(seq 1 120); do
    a=$(server_cpu_ticks); sleep 0.5; b=$(server_cpu_ticks)
    (( b - a <= 1 )) && return 0
  done
  echo "  the server did not go idle within 60 s" >&2
}

fields_json() { tr ' ' '\n' <<<"$1" | jq -R 'capture("(?<k>[^=]+)=(?<v>.*)") | {(.k): (.v | if . == "true" then true elif . == "false" then false else (tonumber? // .) end)}' | jq -s 'add // {}'; }

record() { # SIZE NAME CONNS "k=v ..." CPU_TICKS
  jq -c --argjson size "$1" --arg name "$2" --argjson conns "$3" --argjson ticks "$5" --argjson tck "$TCK" --argjson rss "$(rss_mb)" \
    --argjson other "${OTHER_PCT:-null}" \
    '. + {size: $size, scenario: $name, conns: $conns, rss_mb: $rss, other_cpu_pct: $other,
          server_cpu_us_per_req: (if .requests > 0 then ($ticks / $tck * 1e6 / .requests) else null end)}' <<<"$(fields_json "$4")" >> "$RESULTS"
  OTHER_PCT=""
  jq -r '"    \(.rps | floor) req/s  p50 \(.p50_ms) ms  p99 \(.p99_ms) ms  errors \(.non2xx + .err_connect + .err_read + .err_write + .err_timeout)  server CPU \(.server_cpu_us_per_req // 0 | floor) us/req  other processes \(.other_cpu_pct // "-") %"' <<<"$(tail -1 "$RESULTS")" >&2
}

# check_room DB ROOM -> ChatSeed --check's fields (rows, min_seq, max_seq, last_seq, gapless, last_message)
check_room() {
  java -cp "$JAR" "$HERE/ChatSeed.java" --check "$1" "$2" 2>/dev/null | grep '^CHECK ' | sed 's/^CHECK //'
}

# GET with curl as a token; fails the run on a non-2xx answer.
get_json() { curl -sf -H "Authorization: Bearer $1" "$BASE$2"; }

CEILING="$OUT/commit-$STAMP.txt"
if has ceiling; then
  echo "== commit ceiling: one-row WAL transactions, synchronous=FULL, one thread on CPU $SERVER_CPU, in $OUT" >&2
  "${pin_server[@]}" java -cp "$JAR" "$HERE/CommitCeiling.java" "$OUT" "$CEILING_SECONDS" "$CEILING_PASSES" | tee "$CEILING" >&2
fi

has send || has me || has history || has rooms || SIZES=""
for size in $SIZES; do
  db="$OUT/chat-db-$size"
  rm -rf "$db" && mkdir -p "$db"
  echo "== $size messages: seeding $db/bench.db" >&2
  seed_t0=$(date +%s%N)
  java -cp "$JAR" "$HERE/ChatSeed.java" "$db/bench.db" "$size" "$db" 2>&1 | { grep -v ' INFO ' || true; } >&2
  jq -c -n --argjson size "$size" --argjson ms $((($(date +%s%N) - seed_t0) / 1000000)) '{size: $size, scenario: "seed", seconds: ($ms / 1000)}' >> "$RESULTS"
  # shellcheck disable=SC1091
  source "$db/chat.env"
  SENDER_TOKENS="$db/sender-tokens.txt"
  MEMBER_TOKEN=$(head -n 1 "$SENDER_TOKENS")
  READER_TOKEN=$(cat "$db/reader-token.txt")

  echo "== $size messages: starting $JAR ${JAVA_OPTS:+($JAVA_OPTS) }on CPU $SERVER_CPU" >&2
  # shellcheck disable=SC2086
  ( exec env SERVER_PORT="$PORT" DB_URL="jdbc:sqlite:$db/bench.db" RATELIMIT_ENABLED=false \
      "${pin_server[@]}" java $JAVA_OPTS -jar "$JAR" ) > "$OUT/raw/chat-server-$size-$STAMP.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 600); do curl -s -o /dev/null --max-time 1 "$BASE/health" && break; sleep 0.1; done
  curl -sf -o /dev/null "$BASE/health" || { echo "server did not start; see $OUT/raw/chat-server-$size-$STAMP.log" >&2; exit 1; }

  # The answers the passes will get, checked once: a page of 50 ending at the room's last seq; the reader's unread counts.
  for room in $BIG_ROOM $SMALL_ROOM; do
    get_json "$MEMBER_TOKEN" "/rooms/$room/messages?limit=50" | jq -e -r --arg room "$room" \
      '"  room \($room): newest page \(.messages | length) messages, seq \(.messages[0].seq)..\(.messages[-1].seq), has_more \(.has_more)"' >&2
  done
  ROOMS_PATH="/rooms${ROOMS_LIMIT:+?limit=$ROOMS_LIMIT}"
  get_json "$READER_TOKEN" "$ROOMS_PATH" | jq -e -r '[.rooms[].membership.unread_count] as $u
    | "  reader: \(.rooms | length) rooms on the first page of 200, unread \($u | min)..\($u | max), \($u | map(select(. >= 1000)) | length) at the 1,000 cap, \($u | map(select(. == 0)) | length) at 0"' >&2

  if [[ $(secs "$SERVER_WARMUP") != 0 ]]; then
    # JIT compilation shares the server's one core: a first pass on a fresh server runs partly interpreted.
    echo "  server warm-up: $SERVER_WARMUP of mixed reads (me, history, rooms) at -c4" >&2
    BENCH_TOKEN=$MEMBER_TOKEN BENCH_READER_TOKEN=$READER_TOKEN BENCH_ROOMS="$BIG_ROOM $SMALL_ROOM" \
      PASS_LABEL="$size server warm-up" wrk_pass chat-mix 4 "$SERVER_WARMUP" / > /dev/null
  fi
  if has history; then
    wait_idle; BENCH_TOKEN=$MEMBER_TOKEN measure "$size" history chat-get 1 "/rooms/$BIG_ROOM/messages?limit=50"
    wait_idle; BENCH_TOKEN=$MEMBER_TOKEN measure "$size" history-1k chat-get 1 "/rooms/$SMALL_ROOM/messages?limit=50"
  fi
  if has rooms; then
    wait_idle; BENCH_TOKEN=$READER_TOKEN measure "$size" rooms chat-get 1 "$ROOMS_PATH"
  fi
  if has me; then
    for c in $ME_CONNS; do wait_idle; BENCH_TOKEN=$MEMBER_TOKEN measure "$size" "me-c$c" me "$c" /users/me; done
  fi
  if has send; then
    wait_idle
    before=$(fields_json "$(check_room "$db/bench.db" "$BIG_ROOM")")
    export BENCH_SENDER_TOKENS=$SENDER_TOKENS BENCH_ROOM=$BIG_ROOM BENCH_CLIENT_ID=$SEND_CLIENT_ID BENCH_RUN="s$size-$STAMP"
    measure "$size" send chat-send "$SEND_CONNS" "/rooms/$BIG_ROOM/messages" "$SEND_WARMUP"
    warm_created=$(jq -r '.created // 0' <<<"$(fields_json "$WARM_LINE")")
    wait_idle
    # Every 201 is a row of the room; rows beyond them are sends still in flight when wrk stopped (at most the connections, per pass).
    after=$(fields_json "$(check_room "$db/bench.db" "$BIG_ROOM")")
    jq -c -n --argjson size "$size" --argjson before "$before" --argjson after "$after" --argjson warm "$warm_created" \
      --argjson pass "$(tail -1 "$RESULTS")" '
      {size: $size, scenario: "send-check", rows_before: $before.rows, rows_after: $after.rows, added: ($after.rows - $before.rows),
       acknowledged: ($warm + $pass.created), other2xx: $pass.other2xx, min_seq: $after.min_seq, max_seq: $after.max_seq,
       last_seq: $after.last_seq, gapless: $after.gapless, last_message: $after.last_message}
      | . + {lost: ([.acknowledged - .added, 0] | max), unacknowledged_rows: ([.added - .acknowledged, 0] | max),
             durable: (.added >= .acknowledged and .gapless and .last_message)}' | tee -a "$RESULTS" | jq -r '
      "    durability: \(.acknowledged) acknowledged (201), room grew by \(.added) rows (\(.unacknowledged_rows) unacknowledged, \(.lost) lost), seqs \(.min_seq)..\(.max_seq) of last_seq \(.last_seq): gapless \(.gapless), last message \(.last_message)"' >&2
    if has ceiling; then
      # The disk again, right after this send, beside its database (the server idle): a ceiling that
      # moved since the start of the run (other I/O on the disk) shows here.
      echo "  commit ceiling again, one pass of $CEILING_SECONDS s in $db" >&2
      line=$("${pin_server[@]}" java -cp "$JAR" "$HERE/CommitCeiling.java" "$db" "$CEILING_SECONDS" 1 | tee -a "$CEILING.after-send" | sed 's/^COMMIT //')
      echo "    $line" >&2
      jq -c --argjson size "$size" '. + {size: $size, scenario: "ceiling-after-send"}' <<<"$(fields_json "${line% dir=*}")" >> "$RESULTS"
    fi
  fi
  stop_server
  # What the server logged besides its request lines and banner: warnings, errors, stack traces.
  log="$OUT/raw/chat-server-$size-$STAMP.log"
  problems=$(grep -cE '^[0-9-]+T[0-9:.+]+ (WARN|ERROR) ' "$log" || true)
  jq -c -n --argjson size "$size" --argjson n "$problems" --arg log "$log" '{size: $size, scenario: "server-log", problems: $n, log: $log}' >> "$RESULTS"
  (( problems == 0 )) || echo "  the server logged $problems warnings or errors: $log" >&2
done

# The targets, one row each, one column per size: the figure, ✓ or ✗, and the goal; then the ratios across sizes.
# Input: every JSON line of the run; $sizes; $ceiling (null when the ceiling did not run).
TARGETS_JQ=$(cat <<'JQ'
def r2: if . == null then null else . * 100 | round / 100 end;
def ratio($a; $b): if $a == null or $b == null or $b == 0 then null else $a / $b end;
def goal($v; $op; $g): {v: ($v | r2), ok: (if $v == null then null elif $op == ">=" then $v >= $g else $v < $g end)};
def cell: if .v == null then "-" else "\(.v)" + (if .ok == null then "" elif .ok then " ✓" else " ✗" end) end;
. as $all
| (map(select(.scenario | startswith("me-c")) | .scenario) | unique_by(ltrimstr("me-c") | tonumber)) as $mes
| [$sizes[] as $s | ($all | map(select(.size == $s)) | map({key: .scenario, value: .}) | from_entries) as $at
   | [goal(ratio($at.send.rps; $ceiling); ">="; 1.5),
      ($mes[] as $m | goal(ratio($at.send.rps; $at[$m].rps); ">="; 0.3)),
      goal(ratio($at.send.rps; $at["ceiling-after-send"].rows_per_s); ">="; 1.5),
      goal($at.send.p99_ms; "<"; 50),
      (if $at["send-check"] == null then {v: null} else $at["send-check"]
         | {v: "\(.acknowledged) acked, \(.added) stored, seqs \(.min_seq)..\(.max_seq), gapless \(.gapless)", ok: .durable} end),
      goal($at.history.p99_ms; "<"; 5),
      goal(ratio($at.history.rps; $at["history-1k"].rps); ">="; 0.9),
      goal($at.rooms.p99_ms; "<"; 20),
      ($at["server-log"].problems as $n | {v: $n, ok: (if $n == null then null else $n == 0 end)}),
      {v: ($at.seed.seconds | r2)}]] as $cols
| ["send ÷ ceiling", ($mes[] | "send ÷ \(.)"), "send ÷ ceiling measured right after it", "send p99 ms", "send: every 201 stored, seqs 1..last_seq",
   "history p99 ms (room of SIZE)", "history req/s, room of SIZE ÷ room of 1,000 (same server)", "rooms p99 ms", "server log: warnings and errors", "seeding s"] as $labels
| ["≥ 1.5", ($mes[] | "≥ 0.3"), "≥ 1.5", "< 50", "all", "< 5", "≥ 0.9", "< 20", "0", ""] as $goals
| (range(0; $labels | length) as $i | "| \($labels[$i]) | " + ([$cols[] | .[$i] | cell] | join(" | ")) + " | \($goals[$i]) |"),
  (if ($sizes | length) > 1 then
     def across($n): ($all | map(select(.scenario == $n and .size == $sizes[-1])) | first | .rps) as $hi
       | ($all | map(select(.scenario == $n and .size == $sizes[0])) | first | .rps) as $lo
       | goal(ratio($hi; $lo); ">="; 0.9) | cell;
     "", "Across databases, req/s \($sizes[-1]) ÷ \($sizes[0]) messages (goal ≥ 0.9): history \(across("history")), rooms \(across("rooms"))."
   else empty end)
JQ
)
# The table: one row per scenario, one column per size, and the ratio of the largest size to the smallest;
# then every target with its figure.
sizes=($SIZES)
ceiling=$( [[ -s $CEILING ]] && awk '{for (i = 1; i <= NF; i++) if ($i ~ /^rows_per_s=/) print substr($i, 12)}' "$CEILING" || echo null)
{
  echo "Latchkey chat bench $STAMP on $(getconf _NPROCESSORS_ONLN) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), server on CPU $SERVER_CPU, wrk on CPU $WRK_CPU, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src pom.xml 2>/dev/null || echo '+changes')"
  echo
  echo "Command: \`$COMMAND\`"
  echo
  [[ $ceiling == null ]] || echo "Commit ceiling (one-row WAL transactions, synchronous=FULL, one core): $(cat "$CEILING")"
  echo
  if ((${#sizes[@]})); then
    printf '| scenario | conns |'; for s in "${sizes[@]}"; do printf ' %s msgs: req/s | p99 ms | errors |' "$s"; done
    ((${#sizes[@]} > 1)) && printf ' req/s %s ÷ %s |' "${sizes[-1]}" "${sizes[0]}"; echo
    printf '|---|---:|'; for _ in "${sizes[@]}"; do printf -- '---:|---:|---:|'; done; ((${#sizes[@]} > 1)) && printf -- '---:|'; echo
    jq -r -s --argjson sizes "$(printf '%s\n' "${sizes[@]}" | jq -s .)" '
      map(select(.rps != null))
      | (map(.scenario) | reduce .[] as $n ([]; if index([$n]) then . else . + [$n] end)) as $order
      | $order[] as $n
      | [.[] | select(.scenario == $n)] as $rows
      | [$sizes[] as $s | ($rows | map(select(.size == $s)) | first)] as $by
      | "| \($n) | \($rows[0].conns) |"
        + ($by | map(if . == null then " - | - | - |" else " \(.rps | floor) | \(.p99_ms * 100 | round / 100) | \(.non2xx + .err_connect + .err_read + .err_write + .err_timeout) |" end) | join(""))
        + (if ($sizes | length) > 1 then
             (if $by[0] != null and $by[-1] != null and $by[0].rps > 0 then " \($by[-1].rps / $by[0].rps * 100 | round / 100) |" else " - |" end)
           else "" end)' "$RESULTS"
    echo
    echo "history: the newest 50 of the big room (SIZE messages); history-1k: of the small room (1,000). rooms: GET ${ROOMS_PATH:-/rooms} as a user in 200 rooms holding SIZE messages. errors: non-2xx and socket errors."
    echo
    echo "| target | $(printf '%s msgs | ' "${sizes[@]}")goal |"
    echo "|---|$(printf -- '---:|%.0s' "${sizes[@]}")---|"
    jq -r -s --argjson sizes "$(printf '%s\n' "${sizes[@]}" | jq -s .)" --argjson ceiling "$ceiling" "$TARGETS_JQ" "$RESULTS"
  fi
  echo
  jq -r -s '"Other processes used at most \(map(.other_cpu_pct // 0) | max // 0) % of the machine during a measured pass."' "$RESULTS"
  echo "Raw results: $RESULTS (server CPU us/request, RSS and latencies per pass); wrk output: $RAW."
} | tee "$OUT/chat-$STAMP.md"
