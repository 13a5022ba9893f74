#!/usr/bin/env bash
# Checks the hand-written OpenAPI document (src/main/resources/openapi.json) against the real
# server: lints it with Redocly CLI (the recommended rules), then starts target/latchkey.jar on a
# scratch database behind a Prism validating proxy (`prism proxy --errors`: a request or response
# that violates the document is answered 500/422 with the violations instead of being passed on)
# and drives a short curl scenario through the proxy: the main auth routes, every chat route
# (rooms, direct rooms, members, messages, read cursor, typing) and their main error cases
# (400, 401, 403, 404, 409 conflict and room_full, 429). Prism checks the requests too: a request
# the document does not allow gets Prism's own 422, so the 400 cases send what the document allows
# and only the server refuses (a blank name, an unknown reply_to, a bad cursor, ...).
#
# It prints one line per request: OK or FAIL, the status, the method and path, and below a FAIL
# what was wrong: a Prism violation, a status other than the scenario expects, or a status the
# operation does not document explicitly (answered only by `default`). It exits 1 if the lint
# found an error or any request failed, 2 if it could not run.
#
# Usage, from the project root, after `mvn -q -DskipTests package`:
#   src/bench/openapi-check.sh
#   TOOLS=/tmp/oa src/bench/openapi-check.sh    # tools already installed there: no npm install
#   KEEP=1 src/bench/openapi-check.sh           # keep the scratch folder (logs, database, tools)
# Env (defaults): PORT=18191 (the server) PRISM_PORT=18192 JAR=target/latchkey.jar
#   DOC=src/main/resources/openapi.json REDOCLY_VERSION=2.77.0 PRISM_VERSION=5.14.2 TOOLS= KEEP=
# The server runs with BCRYPT_COST=4, CHAT_MESSAGES_PER_MINUTE=5 and CHAT_MAX_ROOM_MEMBERS=3, so
# that the 429 and room_full cases take a few requests; it reads no app.properties.
# Needs: java 17+, node 18+ and npm (the npm registry reachable, unless TOOLS is set), curl, jq.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"

PORT=${PORT:-18191}
PRISM_PORT=${PRISM_PORT:-18192}
JAR=$(realpath "${JAR:-target/latchkey.jar}" 2>/dev/null || echo "${JAR:-target/latchkey.jar}")
DOC=$(realpath "${DOC:-src/main/resources/openapi.json}")
REDOCLY_VERSION=${REDOCLY_VERSION:-2.77.0}
PRISM_VERSION=${PRISM_VERSION:-5.14.2}
KEEP=${KEEP:-}
PROXY="http://127.0.0.1:$PRISM_PORT"

for tool in java node npm curl jq; do
  command -v "$tool" >/dev/null || { echo "$tool not found" >&2; exit 2; }
done
[[ -f $JAR ]] || { echo "no $JAR: run mvn -q -DskipTests package first" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/latchkey-openapi.XXXXXX")
server_pid=; prism_pid=
cleanup() {
  set +e
  for pid in $prism_pid $server_pid; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  if [[ -n $KEEP ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# --- the tools -------------------------------------------------------------------------------
TOOLS=${TOOLS:-$WORK/tools}
if [[ ! -x $TOOLS/node_modules/.bin/redocly || ! -x $TOOLS/node_modules/.bin/prism ]]; then
  echo "installing @redocly/cli@$REDOCLY_VERSION and @stoplight/prism-cli@$PRISM_VERSION into $TOOLS"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund --no-save --loglevel=error \
    "@redocly/cli@$REDOCLY_VERSION" "@stoplight/prism-cli@$PRISM_VERSION" >"$WORK/npm.log" 2>&1 \
    || { cat "$WORK/npm.log" >&2; exit 2; }
fi
REDOCLY=$TOOLS/node_modules/.bin/redocly
PRISM=$TOOLS/node_modules/.bin/prism

# --- lint ------------------------------------------------------------------------------------
echo "== redocly lint --extends recommended ${DOC#"$ROOT"/}"
lint_rc=0
# The CLI frames a Node.js deprecation notice in box characters: left out.
"$REDOCLY" lint --extends recommended --format stylish "$DOC" >"$WORK/lint.log" 2>&1 || lint_rc=$?
grep -v '[║╔╚]' "$WORK/lint.log" | sed '/^[[:space:]]*$/d'
[[ $lint_rc -eq 0 ]] || echo "FAIL  the lint found errors (exit $lint_rc)"

# --- the server and the proxy ----------------------------------------------------------------
wait_for() { # URL SECONDS PID
  local i
  for ((i = 0; i < $2 * 5; i++)); do
    curl -sf -o /dev/null "$1" && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}
for port in "$PORT" "$PRISM_PORT"; do
  ! curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/" || { echo "port $port is taken: set PORT or PRISM_PORT" >&2; exit 2; }
done
# From the scratch folder, so that the project's app.properties is not read; the JWT secret is
# generated beside the scratch database.
(cd "$WORK" && exec env SERVER_PORT="$PORT" DB_URL="jdbc:sqlite:$WORK/latchkey.db" BCRYPT_COST=4 \
  CHAT_MESSAGES_PER_MINUTE=5 CHAT_MAX_ROOM_MEMBERS=3 java -jar "$JAR" serve) >"$WORK/server.log" 2>&1 &
server_pid=$!
wait_for "http://127.0.0.1:$PORT/health" 60 "$server_pid" || { echo "the server did not start:" >&2; tail -20 "$WORK/server.log" >&2; exit 2; }
"$PRISM" proxy --errors -p "$PRISM_PORT" "$DOC" "http://127.0.0.1:$PORT" >"$WORK/prism.log" 2>&1 &
prism_pid=$!
wait_for "$PROXY/health" 60 "$prism_pid" || { echo "prism did not start:" >&2; tail -20 "$WORK/prism.log" >&2; exit 2; }

# --- the scenario ----------------------------------------------------------------------------
failures=0; requests=0
# step EXPECTED METHOD TEMPLATE PATH TOKEN [BODY]: one request through the proxy; TEMPLATE is the
# path as the document names it. The answer is left in $WORK/body for `field`.
step() {
  local expected=$1 method=$2 template=$3 path=$4 token=$5 body=${6-} status problems=() violations
  local args=(-s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -X "$method")
  rm -f "$WORK/body" "$WORK/headers" # curl writes no file for an empty body
  [[ -n $token ]] && args+=(-H "Authorization: Bearer $token")
  [[ -n $body ]] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  status=$(curl "${args[@]}" "$PROXY$path") || status=000
  requests=$((requests + 1))
  violations=$([[ -f $WORK/headers ]] && tr -d '\r' <"$WORK/headers" | sed -n 's/^sl-violations: //Ip' || true)
  if [[ -n $violations ]]; then
    while IFS= read -r line; do problems+=("violation: $line"); done \
      < <(jq -r '.[] | "\(.location | join(".")): \(.message)"' <<<"$violations" 2>/dev/null || echo "$violations")
  elif [[ -s $WORK/body ]] && jq -e 'type == "object" and (.type // "" | startswith("https://stoplight.io/prism/errors#"))' "$WORK/body" >/dev/null 2>&1; then
    problems+=("prism: $(jq -r '"\(.title): \(.detail) \(.validation // [] | map(.message) | join("; "))"' "$WORK/body")")
  fi
  [[ $status == "$expected" ]] || problems+=("expected $expected")
  jq -e --arg p "$template" --arg m "${method,,}" --arg s "$status" '.paths[$p][$m].responses | has($s)' "$DOC" >/dev/null \
    || problems+=("$status is not documented for $method $template")
  if [[ ${#problems[@]} -eq 0 ]]; then
    printf 'OK    %s %-6s %s\n' "$status" "$method" "$path"
  else
    failures=$((failures + 1))
    printf 'FAIL  %s %-6s %s\n' "$status" "$method" "$path"
    printf '        %s\n' "${problems[@]}"
  fi
}
field() { jq -r "$1" "$WORK/body" 2>/dev/null || echo "none"; }
register() { # EMAIL USERNAME -> the answer of register
  step 201 POST /auth/register /auth/register "" "{\"email\":\"$1\",\"password\":\"password123\",\"username\":\"$2\"}"
}

echo "== through prism proxy --errors ($PROXY -> http://127.0.0.1:$PORT)"
step 200 GET /health /health ""
step 200 GET /openapi.json /openapi.json ""
register ann@example.com ann; ann=$(field .access_token); ann_id=$(field .user.id)
register bob@example.com bob; bob=$(field .access_token); bob_id=$(field .user.id); bob_refresh=$(field .refresh_token)
register cy@example.com cyra; cy=$(field .access_token); cy_id=$(field .user.id)
register dee@example.com dee; dee_id=$(field .user.id)
step 409 POST /auth/register /auth/register "" '{"email":"ann@example.com","password":"password123"}'
step 200 POST /auth/login /auth/login "" '{"email":"ann@example.com","password":"password123"}'; ann_refresh=$(field .refresh_token)
step 401 POST /auth/login /auth/login "" '{"username":"ann","password":"wrong-password"}'
step 200 POST /auth/refresh /auth/refresh "" "{\"refresh_token\":\"$ann_refresh\"}"; ann=$(field .access_token)
step 200 GET /users/me /users/me "$ann"
step 401 GET /users/me /users/me "not-a-token"
step 200 GET /users "/users?q=b&limit=5" "$ann"
step 200 GET "/users/{id}" "/users/$bob_id" "$ann"
step 403 GET /admin/users /admin/users "$ann"
# dee becomes a site administrator (the command writes to the same scratch database).
(cd "$WORK" && DB_URL="jdbc:sqlite:$WORK/latchkey.db" java -jar "$JAR" grant-admin dee@example.com >/dev/null)
step 200 POST /auth/login /auth/login "" '{"email":"dee@example.com","password":"password123"}'; admin=$(field .access_token)
step 200 GET /admin/users "/admin/users?limit=2" "$admin"

# Rooms: ann's public General with bob, ann's private Secret.
step 201 POST /rooms /rooms "$ann" "{\"name\":\"General\",\"topic\":\"Everything\",\"member_ids\":[$bob_id]}"; general=$(field .id)
step 201 POST /rooms /rooms "$ann" '{"name":"Secret","private":true}'; secret=$(field .id)
step 400 POST /rooms /rooms "$ann" '{"name":"   "}'
step 400 POST /rooms /rooms "$ann" '{"name":"Ghosts","member_ids":[999999]}'
step 409 POST /rooms /rooms "$ann" "{\"name\":\"Crowd\",\"member_ids\":[$bob_id,$cy_id,$dee_id]}"
step 200 GET /rooms "/rooms?limit=1" "$ann"; next=$(field .next)
step 200 GET /rooms "/rooms?limit=1&after=$next" "$ann"
step 200 GET /rooms "/rooms?scope=public&q=gen" "$cy"
step 400 GET /rooms "/rooms?q=gen" "$cy"
step 400 GET /rooms "/rooms?scope=public&after=bad" "$cy"
step 200 GET "/rooms/{id}" "/rooms/$general" "$cy"
step 404 GET "/rooms/{id}" "/rooms/$secret" "$cy"
step 404 GET "/rooms/{id}" /rooms/999999 "$ann"
step 200 PATCH "/rooms/{id}" "/rooms/$general" "$ann" '{"topic":"Anything at all"}'
step 403 PATCH "/rooms/{id}" "/rooms/$general" "$bob" '{"topic":"Mine now"}'
step 400 PATCH "/rooms/{id}" "/rooms/$general" "$ann" '{"name":" "}'

# Members (the room holds at most 3).
step 201 PUT "/rooms/{id}/members/{user_id}" "/rooms/$general/members/$cy_id" "$ann"
step 200 PUT "/rooms/{id}/members/{user_id}" "/rooms/$general/members/$cy_id" "$ann" '{"role":"admin"}'
step 409 PUT "/rooms/{id}/members/{user_id}" "/rooms/$general/members/$dee_id" "$ann"
step 409 PUT "/rooms/{id}/members/{user_id}" "/rooms/$general/members/$ann_id" "$ann" '{"role":"member"}'
step 403 PUT "/rooms/{id}/members/{user_id}" "/rooms/$general/members/$bob_id" "$bob" '{"role":"admin"}'
step 404 PUT "/rooms/{id}/members/{user_id}" "/rooms/$secret/members/999999" "$ann"
step 200 GET "/rooms/{id}/members" "/rooms/$general/members?limit=2" "$bob"; next=$(field .next)
step 200 GET "/rooms/{id}/members" "/rooms/$general/members?limit=2&after=$next" "$bob"
step 400 GET "/rooms/{id}/members" "/rooms/$general/members?after=bad" "$bob"
step 204 DELETE "/rooms/{id}/members/{user_id}" "/rooms/$general/members/$cy_id" "$ann"
step 404 DELETE "/rooms/{id}/members/{user_id}" "/rooms/$general/members/$cy_id" "$ann"
step 403 DELETE "/rooms/{id}/members/{user_id}" "/rooms/$general/members/$ann_id" "$bob"

# Messages. Each user may send 5 per minute here; every send that passes the body checks counts.
step 201 POST "/rooms/{id}/messages" "/rooms/$general/messages" "$ann" '{"text":"Hello, Bob","client_id":"ann-1"}'; m1=$(field .id)
step 200 POST "/rooms/{id}/messages" "/rooms/$general/messages" "$ann" '{"text":"Hello, Bob","client_id":"ann-1"}'
step 201 POST "/rooms/{id}/messages" "/rooms/$general/messages" "$bob" "{\"text\":\"Hi!\",\"reply_to\":$m1}"; m2=$(field .id); s2=$(field .seq)
step 400 POST "/rooms/{id}/messages" "/rooms/$general/messages" "$bob" '{"text":" \n "}'
step 400 POST "/rooms/{id}/messages" "/rooms/$general/messages" "$bob" '{"text":"Re?","reply_to":999999}'
step 403 POST "/rooms/{id}/messages" "/rooms/$general/messages" "$cy" '{"text":"May I?"}'
step 404 POST "/rooms/{id}/messages" "/rooms/$secret/messages" "$bob" '{"text":"Anyone?"}'
step 200 GET "/rooms/{id}/messages" "/rooms/$general/messages" "$cy"
step 200 GET "/rooms/{id}/messages" "/rooms/$general/messages?limit=1" "$bob"
step 200 GET "/rooms/{id}/messages" "/rooms/$general/messages?before=$s2&limit=1" "$bob"
step 200 GET "/rooms/{id}/messages" "/rooms/$general/messages?after=0&limit=1" "$bob"
step 400 GET "/rooms/{id}/messages" "/rooms/$general/messages?before=2&after=1" "$bob"
step 200 GET "/rooms/{id}/messages/{message_id}" "/rooms/$general/messages/$m1" "$cy"
step 404 GET "/rooms/{id}/messages/{message_id}" "/rooms/$general/messages/999999" "$bob"
step 200 PATCH "/rooms/{id}/messages/{message_id}" "/rooms/$general/messages/$m1" "$ann" '{"text":"Hello, Bob!"}'
step 403 PATCH "/rooms/{id}/messages/{message_id}" "/rooms/$general/messages/$m1" "$bob" '{"text":"Hello, Ann"}'
step 204 DELETE "/rooms/{id}/messages/{message_id}" "/rooms/$general/messages/$m2" "$ann"
step 200 GET "/rooms/{id}/messages/{message_id}" "/rooms/$general/messages/$m2" "$bob"
step 409 PATCH "/rooms/{id}/messages/{message_id}" "/rooms/$general/messages/$m2" "$bob" '{"text":"Undo"}'
step 403 DELETE "/rooms/{id}/messages/{message_id}" "/rooms/$general/messages/$m1" "$bob"
step 200 PUT "/rooms/{id}/read" "/rooms/$general/read" "$bob" '{"seq":999}'
step 403 PUT "/rooms/{id}/read" "/rooms/$general/read" "$cy" '{"seq":1}'
step 204 POST "/rooms/{id}/typing" "/rooms/$general/typing" "$bob"
step 403 POST "/rooms/{id}/typing" "/rooms/$general/typing" "$cy"
step 200 GET "/rooms/{id}" "/rooms/$general" "$bob"
# Bob's allowance is 5 a minute and only sends that made a message counted ("Hi!"): four more, then 429.
for text in two three four five; do
  step 201 POST "/rooms/{id}/messages" "/rooms/$general/messages" "$bob" "{\"text\":\"$text\"}"
done
step 429 POST "/rooms/{id}/messages" "/rooms/$general/messages" "$bob" '{"text":"six"}'

# Direct rooms, joining and leaving, deleting.
step 201 POST /rooms/direct /rooms/direct "$ann" "{\"user_id\":$bob_id}"; direct=$(field .id)
step 200 POST /rooms/direct /rooms/direct "$bob" "{\"user_id\":$ann_id}"
step 400 POST /rooms/direct /rooms/direct "$ann" "{\"user_id\":$ann_id}"
step 404 POST /rooms/direct /rooms/direct "$ann" '{"user_id":999999}'
step 404 GET "/rooms/{id}" "/rooms/$direct" "$cy"
step 409 POST "/rooms/{id}/leave" "/rooms/$direct/leave" "$bob"
step 409 PATCH "/rooms/{id}" "/rooms/$direct" "$bob" '{"name":"Us"}'
step 200 GET /rooms /rooms "$bob"
step 200 POST "/rooms/{id}/join" "/rooms/$general/join" "$cy"
step 409 POST "/rooms/{id}/join" "/rooms/$direct/join" "$ann"
step 404 POST "/rooms/{id}/join" "/rooms/$secret/join" "$cy"
step 403 POST "/rooms/{id}/join" "/rooms/$secret/join" "$admin"
step 204 POST "/rooms/{id}/leave" "/rooms/$general/leave" "$cy"
step 403 DELETE "/rooms/{id}" "/rooms/$general" "$bob"
step 409 DELETE "/rooms/{id}" "/rooms/$direct" "$ann"
step 204 DELETE "/rooms/{id}" "/rooms/$secret" "$ann"
step 404 DELETE "/rooms/{id}" "/rooms/$secret" "$ann"

# Signing out.
step 204 POST /auth/logout /auth/logout "" "{\"refresh_token\":\"$bob_refresh\"}"
step 401 GET /rooms /rooms "$bob"
step 204 POST /auth/logout-all /auth/logout-all "$ann"
step 401 GET "/rooms/{id}" "/rooms/$general" "$ann"

echo "== $requests requests, $failures failed; lint $([[ $lint_rc -eq 0 ]] && echo "without errors" || echo "with errors")"
[[ $failures -eq 0 && $lint_rc -eq 0 ]]
