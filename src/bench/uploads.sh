#!/usr/bin/env bash
# Latchkey's uploads benchmark (issue 13, "Speed"), three measurements in one run:
#   serve   a 1 MiB JPEG upload fetched by its signed URL (GET /files/{id}?...&sig=) from CONNS
#           connections, then the same bytes from Jetty's own static file serving (ResourceHandler,
#           src/bench/UploadBench.java, the same Jetty from the same jar) on another port: requests/s
#           and MiB/s of each, and the ratio (target >= 0.8). Both servers pinned to SERVER_CPU, wrk to
#           WRK_CPU; each gets a discarded warm-up pass of WARMUP, then one measured pass of DURATION.
#   rss     16 concurrent 1 MiB JPEG uploads, ROUNDS times over: the server's peak RSS (VmRSS, sampled
#           every 20 ms) above its RSS at rest just before (target: within 64 MiB).
#   heap    one upload at a time, HEAP_UPLOADS each of a 1 MiB and a 10 MiB JPEG, while a sampler forces
#           a full GC (jcmd GC.run) and reads the heap left in use (jstat -gc: survivor + eden + old)
#           over and over: the live heap during the uploads, above the live heap just before. Garbage
#           is not counted (it depends on when the collector runs); what an upload holds on to is
#           (target: the 10 MiB upload holds no more than the 1 MiB one).
#
# Usage, from the project root, after `mvn -q -DskipTests package`:
#   flock /tmp/latchkey-bench.lock src/bench/uploads.sh
#   WARMUP=3s DURATION=3s ROUNDS=2 HEAP_UPLOADS=3 src/bench/uploads.sh     # a quick check
# Env (defaults): CONNS=16 WARMUP=10s DURATION=15s ROUNDS=5 HEAP_UPLOADS=10 SERVER_CPU=0 WRK_CPU=1
#   PORT=18410 STATIC_PORT=18411 JAVA_OPTS= OUT=target/bench JAR=target/latchkey.jar
# Needs: java 17+ (with jstat and jcmd), wrk, curl, jq, taskset.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"

CONNS=${CONNS:-16}
WARMUP=${WARMUP:-10s}
DURATION=${DURATION:-15s}
ROUNDS=${ROUNDS:-5}
HEAP_UPLOADS=${HEAP_UPLOADS:-10}
SERVER_CPU=${SERVER_CPU:-0}
WRK_CPU=${WRK_CPU:-1}
PORT=${PORT:-18410}
STATIC_PORT=${STATIC_PORT:-18411}
OUT=${OUT:-target/bench}
JAR=${JAR:-target/latchkey.jar}
JAVA_OPTS=${JAVA_OPTS:-}
BASE="http://127.0.0.1:$PORT"
COMMAND="CONNS=$CONNS WARMUP=$WARMUP DURATION=$DURATION ROUNDS=$ROUNDS HEAP_UPLOADS=$HEAP_UPLOADS SERVER_CPU=$SERVER_CPU WRK_CPU=$WRK_CPU${JAVA_OPTS:+ JAVA_OPTS=\"$JAVA_OPTS\"} src/bench/uploads.sh"

for tool in java jstat jcmd wrk curl jq taskset; do
  command -v "$tool" >/dev/null || { echo "$tool not found" >&2; exit 2; }
done
[[ -f $JAR ]] || { echo "no $JAR: run mvn -q -DskipTests package first" >&2; exit 2; }

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/latchkey-uploads-bench.XXXXXX")
mkdir -p "$OUT" "$WORK/static"
REPORT="$OUT/uploads-$STAMP.md"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_for() {
  for _ in $(seq 1 200); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "nothing answers at $1" >&2; exit 1
}

java -cp "$JAR" src/bench/UploadBench.java image "$WORK/1mib.jpg" 1048576
java -cp "$JAR" src/bench/UploadBench.java image "$WORK/10mib.jpg" 10000000

# shellcheck disable=SC2086
SERVER_PORT=$PORT DB_URL="jdbc:sqlite:$WORK/latchkey.db" UPLOADS_DIR="$WORK/uploads" BCRYPT_COST=4 RATELIMIT_ENABLED=false \
  JWT_SECRET=bench-uploads-secret-0123456789abcdef0123456789 \
  taskset -c "$SERVER_CPU" java $JAVA_OPTS -jar "$JAR" > "$WORK/server.log" 2>&1 &
server=$!
pids+=("$server")
taskset -c "$SERVER_CPU" java -cp "$JAR" src/bench/UploadBench.java static "$STATIC_PORT" "$WORK/static" > "$WORK/static.log" 2>&1 &
pids+=("$!")
wait_for "$BASE/health"

token=$(curl -fs "$BASE/auth/register" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"bench-password-1"}' | jq -r .access_token)
upload() { curl -fs "$BASE/uploads" -H "Authorization: Bearer $token" -F "file=@$1;type=image/jpeg"; }
url=$(upload "$WORK/1mib.jpg" | jq -r .url)
url="$BASE${url#http://localhost:8080}"
curl -fs -o "$WORK/static/photo.jpg" "$url"
served_bytes=$(stat -c %s "$WORK/static/photo.jpg")
wait_for "http://127.0.0.1:$STATIC_PORT/photo.jpg"
cmp -s "$WORK/static/photo.jpg" <(curl -fs "http://127.0.0.1:$STATIC_PORT/photo.jpg") || { echo "the two servers serve different bytes" >&2; exit 1; }

# One wrk pass: prints "requests_per_second transfer_mib_per_second non2xx".
pass() {
  local target=$1 duration=$2 out
  out=$(taskset -c "$WRK_CPU" wrk -t1 -c"$CONNS" -d"$duration" --latency "$target")
  local rps mib errors
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  mib=$(awk '/^Transfer\/sec/ {v=$2; if (v ~ /GB$/) {sub(/GB/,"",v); v*=1024} else if (v ~ /KB$/) {sub(/KB/,"",v); v/=1024} else sub(/MB/,"",v); print v}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  echo "$rps $mib ${errors:-0}"
}
pass "$url" "$WARMUP" >/dev/null
read -r lk_rps lk_mib lk_err < <(pass "$url" "$DURATION")
pass "http://127.0.0.1:$STATIC_PORT/photo.jpg" "$WARMUP" >/dev/null
read -r st_rps st_mib st_err < <(pass "http://127.0.0.1:$STATIC_PORT/photo.jpg" "$DURATION")
ratio=$(awk -v a="$lk_rps" -v b="$st_rps" 'BEGIN {printf "%.2f", a / b}')

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$server/status"; }
# Samples a value every 20 ms into a file until the flag file goes away.
sample() {
  local flag=$1 file=$2; shift 2
  while [[ -e $flag ]]; do "$@" >> "$file" 2>/dev/null || true; sleep 0.02; done
}
heap_used_kib() { jstat -gc "$server" | awk 'NR == 2 {printf "%d\n", $3 + $4 + $6 + $8}'; }
live_heap_kib() { jcmd "$server" GC.run >/dev/null && heap_used_kib; }

# rss: 16 at once, ROUNDS times; the peak above the RSS at rest just before.
upload "$WORK/1mib.jpg" >/dev/null
sleep 1
rss_idle=$(rss_kib)
touch "$WORK/sampling"
sample "$WORK/sampling" "$WORK/rss.txt" rss_kib &
sampler=$!
failed=0
for _ in $(seq 1 "$ROUNDS"); do
  for _ in $(seq 1 16); do upload "$WORK/1mib.jpg" >/dev/null & done
  for job in $(jobs -p); do [[ $job == "$sampler" || " ${pids[*]} " == *" $job "* ]] || wait "$job" || failed=$((failed + 1)); done
done
rm "$WORK/sampling"; wait "$sampler" || true
rss_peak=$(sort -n "$WORK/rss.txt" | tail -1)
rss_growth_mib=$(awk -v p="$rss_peak" -v i="$rss_idle" 'BEGIN {printf "%.1f", (p - i) / 1024}')

# heap: the most live heap during uploads of one size, above the live heap just before.
heap_growth() {
  local file=$1
  local base; base=$(live_heap_kib)
  : > "$WORK/heap.txt"
  touch "$WORK/sampling"
  sample "$WORK/sampling" "$WORK/heap.txt" live_heap_kib &
  local s=$!
  for _ in $(seq 1 "$HEAP_UPLOADS"); do upload "$file" >/dev/null || failed=$((failed + 1)); done
  rm "$WORK/sampling"; wait "$s" || true
  local peak; peak=$(sort -n "$WORK/heap.txt" | tail -1)
  awk -v p="$peak" -v b="$base" 'BEGIN {printf "%.1f", (p - b) / 1024}'
}
heap_1=$(heap_growth "$WORK/1mib.jpg"); cp "$WORK/heap.txt" "$WORK/heap1.txt"
heap_10=$(heap_growth "$WORK/10mib.jpg"); cp "$WORK/heap.txt" "$WORK/heap10.txt"
ten=$(stat -c %s "$WORK/10mib.jpg"); one=$(stat -c %s "$WORK/1mib.jpg")

{
  echo "# Uploads benchmark, $STAMP"
  echo
  echo "Command: \`$COMMAND\` on $(nproc) CPUs ($(uname -m)), $(java -version 2>&1 | head -1)."
  echo
  echo "| measurement | Latchkey | Jetty ResourceHandler | ratio / target |"
  echo "|---|---|---|---|"
  echo "| serve a $served_bytes-byte JPEG, $CONNS connections, req/s | $lk_rps | $st_rps | $ratio (>= 0.8) |"
  echo "| the same, MiB/s | $lk_mib | $st_mib | |"
  echo "| non-2xx answers | ${lk_err} | ${st_err} | 0 |"
  echo "| RSS at rest / peak during 16 concurrent $one-byte uploads x $ROUNDS (MiB) | $(awk -v v="$rss_idle" 'BEGIN {printf "%.1f", v/1024}') / $(awk -v v="$rss_peak" 'BEGIN {printf "%.1f", v/1024}') | | +$rss_growth_mib MiB (<= 64) |"
  echo "| live heap above the one at rest, peak of $(wc -l < "$WORK/heap1.txt") samples during $HEAP_UPLOADS uploads of $one bytes (MiB) | $heap_1 | | |"
  echo "| the same, $(wc -l < "$WORK/heap10.txt") samples during uploads of $ten bytes (MiB) | $heap_10 | | no more than the 1 MiB one |"
  echo "| failed uploads | $failed | | 0 |"
} | tee "$REPORT"
