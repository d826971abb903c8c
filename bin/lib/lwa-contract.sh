#!/usr/bin/env bash
# The Lambda Web Adapter contract, tested without AWS: each packaged function (target/lambda/*-jvm.zip,
# from bin/spillway package lambda) is unzipped and started by its handler with exactly the
# environment terraform/modules/lambda sets (its test fixtures, which terraform test asserts
# against the module), plus what Lambda itself adds (credentials, LAMBDA_TASK_ROOT). This script
# plays the adapter's part:
#   - it polls AWS_LWA_READINESS_CHECK_PATH on AWS_LWA_PORT, as the adapter does before invoking;
#   - it answers as the Parameters and Secrets extension on :2773, so SPILLWAY_SECRETS resolves
#     (the simulator demands the OpenAI key and quota the database password that come from it);
#   - gateway: a streamed chat completion arrives chunk by chunk (the first chunk well before the
#     upstream's last token), as RESPONSE_STREAM needs;
#   - quota: the SQS and EventBridge samples on AWS_LWA_PASS_THROUGH_PATH are consumed, with
#     batchItemFailures naming exactly the bad records; a function URL request (one that carries
#     x-amzn-request-context) cannot reach the pass-through path or the CloudEvents path;
#   - drift: an SQS batch of sampled queries is embedded by the real embedding function and
#     windowed, the bad record reported; a Scheduler invocation and a schedule rule start runs;
#     function URL requests cannot reach its event and schedule paths.
# The one addition for the test is JAVA_OPTS_APPEND (the gateway's local profile for its
# development key, and a slow route). Prints "lwa-contract: N passed, N failed"; exits non-zero on
# a failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$ROOT/target/lwa-contract"
FIXTURES="$ROOT/terraform/modules/lambda/tests/fixtures"
SAMPLES="$ROOT/shared/lambda/src/test/resources/aws"
SIM_PORT=18090 # the gateway fixture's OPENAI_BASE_URL
EXTENSION_PORT=2773
PASSED=0
FAILED=0
PIDS=()

say() { printf '[lwa-contract] %s\n' "$*" >&2; }
pass() { PASSED=$((PASSED + 1)); say "ok: $*"; }
fail() { FAILED=$((FAILED + 1)); say "FAILED: $*"; }
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

command -v python3 >/dev/null || { say "python3 is needed to read the fixtures and fake the secrets extension"; exit 1; }
rm -rf "$WORK"
mkdir -p "$WORK"

# --- the Parameters and Secrets extension, as Lambda's layer answers ---------------------------
SESSION_TOKEN="lwa-contract-session-token"
cat >"$WORK/extension.py" <<'PY'
import http.server, json, sys, urllib.parse
token, port = sys.argv[1], int(sys.argv[2])
# What the fixtures' ARNs hold in this test (the last path segment names the secret).
values = {
    "openai-api-key": "sk-contract-openai",
    "gateway-quota-service-key": "sk-spillway-service-local-dev",
    "quota-db-password": "spillway",
    "drift-db-password": "spillway",
    "drift-quota-service-key": "sk-spillway-service-local-dev",
}
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = urllib.parse.parse_qs(url.query)
        if self.headers.get("X-Aws-Parameters-Secrets-Token") != token:
            return self.answer(403, {"message": "bad token"})
        arn = (query.get("secretId") or query.get("name") or [""])[0]
        name = next((k for k in values if k in arn), None)
        if name is None:
            return self.answer(400, {"message": "not found"})
        if url.path == "/secretsmanager/get":
            return self.answer(200, {"ARN": arn, "SecretString": values[name]})
        if url.path == "/systemsmanager/parameters/get":
            return self.answer(200, {"Parameter": {"ARN": arn, "Value": values[name]}})
        self.answer(404, {"message": "no such path"})
    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
PY
python3 "$WORK/extension.py" "$SESSION_TOKEN" "$EXTENSION_PORT" &
PIDS+=($!)

# --- helpers -----------------------------------------------------------------------------------

fixture_env() { # fixture.json -> NAME=VALUE lines
  python3 -c 'import json,sys; [print(f"{k}={v}") for k, v in json.load(open(sys.argv[1])).items()]' "$1"
}

fixture_value() { # fixture.json name
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# Unzips a package and starts its handler with the fixture's environment and Lambda's own.
start_package() { # function fixture [extra NAME=VALUE...]
  local fn=$1 fixture=$2 zip="$ROOT/target/lambda/$1-jvm.zip" task="$WORK/$1/task"
  shift 2
  [ -f "$zip" ] || { say "no $zip: run bin/spillway package lambda first"; exit 1; }
  mkdir -p "$task"
  (cd "$task" && unzip -q "$zip")
  local env_lines=()
  mapfile -t env_lines < <(fixture_env "$fixture")
  env -i PATH="$PATH" HOME="$WORK" JAVA_HOME="${JAVA_HOME:-}" \
    LAMBDA_TASK_ROOT="$task" AWS_REGION=us-east-1 AWS_LAMBDA_FUNCTION_NAME="spillway-$fn" \
    AWS_ACCESS_KEY_ID=ASIACONTRACTTEST AWS_SECRET_ACCESS_KEY=contract-secret AWS_SESSION_TOKEN="$SESSION_TOKEN" \
    "${env_lines[@]}" "$@" \
    "$task/run.sh" >"$WORK/$fn.log" 2>&1 &
  PID=$!
  PIDS+=("$PID")
}

wait_ready() { # fixture name
  local port path i
  port=$(fixture_value "$1" AWS_LWA_PORT)
  path=$(fixture_value "$1" AWS_LWA_READINESS_CHECK_PATH)
  for ((i = 0; i < 1200; i++)); do
    if curl -fs -o /dev/null "http://127.0.0.1:$port$path"; then
      pass "$2 is ready on :$port$path (the adapter's readiness check)"
      return 0
    fi
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.05
  done
  fail "$2 never became ready on :$port$path"
  tail -30 "$WORK/$2.log" >&2
  return 1
}

stop_package() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# --- gateway: readiness, secrets, streaming ----------------------------------------------------

SIM_JAR=$(ls "$ROOT"/load-tests/simulator/target/spillway-upstream-simulator-*-all.jar | head -1)
# The simulator demands the key the fixture's OPENAI_API_KEY ARN holds: the stream below only works
# if the gateway resolved it through the extension.
java -jar "$SIM_JAR" --port "$SIM_PORT" --seed 3 --api-key sk-contract-openai >"$WORK/simulator.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$SIM_PORT/health" && break; sleep 0.05; done

GATEWAY_FIXTURE="$FIXTURES/gateway-environment.json"
start_package gateway "$GATEWAY_FIXTURE" \
  "JAVA_OPTS_APPEND=-Dquarkus.profile=local -Dgateway.routes.\"lwa-slow\".targets[0].provider=openai -Dgateway.routes.\"lwa-slow\".targets[0].model=gpt-4o-mini@ttft=50,itl=150,tokens=8"
if wait_ready "$GATEWAY_FIXTURE" gateway; then
  PORT=$(fixture_value "$GATEWAY_FIXTURE" AWS_LWA_PORT)
  if grep -q "sk-contract-openai" "$WORK/gateway.log"; then
    fail "the gateway logged a secret value"
  else
    pass "no secret value in the gateway's log"
  fi
  # Each line of the stream with the time it arrived (ms).
  curl -sN "http://127.0.0.1:$PORT/v1/chat/completions" \
    -H 'Authorization: Bearer sk-spillway-local-dev' -H 'Content-Type: application/json' \
    -d '{"model":"lwa-slow","stream":true,"messages":[{"role":"user","content":"Count to eight."}]}' |
    while IFS= read -r line; do
      if [ -n "$line" ]; then printf '%s %s\n' "$(($(date +%s%N) / 1000000))" "$line"; fi
    done >"$WORK/stream.txt"
  chunks=$(grep -c ' data: {' "$WORK/stream.txt" || true)
  first=$(grep -m1 ' data: {' "$WORK/stream.txt" | cut -d' ' -f1 || true)
  done_at=$(grep -m1 ' data: \[DONE\]' "$WORK/stream.txt" | cut -d' ' -f1 || true)
  if [ -n "$first" ] && [ -n "$done_at" ] && [ "$chunks" -ge 8 ] && [ $((done_at - first)) -ge 600 ]; then
    pass "SSE arrives chunk by chunk: $chunks chunks, the first $((done_at - first)) ms before [DONE] (8 tokens 150 ms apart upstream), with OPENAI_API_KEY from Secrets Manager"
  else
    fail "SSE was not streamed: chunks=$chunks first=${first:-none} done=${done_at:-none}"
    head -5 "$WORK/stream.txt" >&2
  fi
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT$(fixture_value "$GATEWAY_FIXTURE" AWS_LWA_PASS_THROUGH_PATH)" \
    -H 'Content-Type: application/json' -d @"$SAMPLES/scheduler-drift-run.json")
  # The gateway consumes no events: nothing is served on the pass-through path.
  if [ "$code" = 404 ]; then pass "the gateway serves nothing on the pass-through path (404)"; else fail "the gateway answered $code on the pass-through path"; fi
fi
stop_package "$PID"

# --- quota: readiness with its database password from Secrets Manager, the pass-through path ----

QUOTA_FIXTURE="$FIXTURES/quota-environment.json"
start_package quota "$QUOTA_FIXTURE"
if wait_ready "$QUOTA_FIXTURE" quota; then
  PORT=$(fixture_value "$QUOTA_FIXTURE" AWS_LWA_PORT)
  EVENTS=$(fixture_value "$QUOTA_FIXTURE" AWS_LWA_PASS_THROUGH_PATH)
  ADMIN="Authorization: Bearer spillway-test-admin-key"
  tenant="lwa-$(date +%s%N | tail -c 9)"
  curl -fs -o /dev/null -H "$ADMIN" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$tenant\"}" "http://127.0.0.1:$PORT/admin/tenants" ||
    fail "creating a tenant with the fixture's admin key"
  event_id="lwa-$(cat /proc/sys/kernel/random/uuid)"
  sed -e "s/\${EVENT_ID}/$event_id/g" -e "s/\${TENANT}/$tenant/g" "$SAMPLES/sqs-usage-batch.json" >"$WORK/sqs.json"
  answer=$(curl -s -H 'Content-Type: application/json' -d @"$WORK/sqs.json" "http://127.0.0.1:$PORT$EVENTS")
  expected='{"batchItemFailures":[{"itemIdentifier":"2e1424d4-f796-459a-8184-9c92662be6da"},{"itemIdentifier":"c2f8a1d4-6b3e-4e0f-8a9d-2f1b7c6e5d43"}]}'
  if [ "$answer" = "$expected" ]; then
    pass "an SQS batch on $EVENTS answers batchItemFailures for exactly the two bad records"
  else
    fail "SQS batch answered: $answer"
  fi
  sed -e "s/\${EVENT_ID}/eb-$event_id/g" -e "s/\${TENANT}/$tenant/g" "$SAMPLES/eventbridge-usage-recorded.json" >"$WORK/eb.json"
  code=$(curl -s -o "$WORK/eb-answer.json" -w '%{http_code}' -H 'Content-Type: application/json' -d @"$WORK/eb.json" "http://127.0.0.1:$PORT$EVENTS")
  if [ "$code" = 200 ] && grep -q '"processed"' "$WORK/eb-answer.json"; then
    pass "an EventBridge event on $EVENTS is processed"
  else
    fail "EventBridge event answered $code: $(cat "$WORK/eb-answer.json")"
  fi
  usage=$(curl -s -H "$ADMIN" "http://127.0.0.1:$PORT/usage?tenant=$tenant&from=2026-01-15&to=2026-01-15")
  if python3 -c 'import json,sys; r=json.loads(sys.argv[1])["rows"]; sys.exit(0 if len(r)==1 and r[0]["requests"]==2 and r[0]["prompt_tokens"]==107 else 1)' "$usage"; then
    pass "the ledger counted the SQS record once and the EventBridge event (2 requests, 107 prompt tokens)"
  else
    fail "the ledger shows $usage"
  fi
  for path in "$EVENTS" / /usage-recorded; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
      -H 'x-amzn-request-context: {"http":{"method":"POST"}}' -d @"$WORK/eb.json" "http://127.0.0.1:$PORT$path")
    if [ "$code" = 404 ]; then pass "a function URL caller gets 404 on $path"; else fail "a function URL caller got $code on $path"; fi
  done
fi
stop_package "$PID"

# --- drift: sampled queries through SQS (embedded by the real embedding function), schedules ------

DRIFT_FIXTURE="$FIXTURES/drift-environment.json"
EMBEDDING_URL=$(fixture_value "$DRIFT_FIXTURE" DRIFT_EMBEDDING_URL)
EMBEDDING_PORT=${EMBEDDING_URL##*:}
EMBEDDING_PORT=${EMBEDDING_PORT%%/*}
EMBEDDING_PORT=$EMBEDDING_PORT EMBEDDING_MODELS_DIR="$ROOT/onnx-models" \
  java $(grep -v '^#' "$ROOT/functions/embedding/jvm.options" | tr '\n' ' ') \
  -jar "$ROOT/functions/embedding/target/quarkus-app/quarkus-run.jar" >"$WORK/embedding.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 1200); do curl -fs -o /dev/null "$EMBEDDING_URL/q/health/ready" && break; sleep 0.1; done
start_package drift "$DRIFT_FIXTURE"
if wait_ready "$DRIFT_FIXTURE" drift; then
  PORT=$(fixture_value "$DRIFT_FIXTURE" AWS_LWA_PORT)
  EVENTS=$(fixture_value "$DRIFT_FIXTURE" AWS_LWA_PASS_THROUGH_PATH)
  ADMIN="Authorization: Bearer spillway-test-admin-key"
  tenant="lwa-$(date +%s%N | tail -c 9)"
  curl -fs -o /dev/null -X PUT -H "$ADMIN" -H 'Content-Type: application/json' -d '{"window":"1h"}' \
    "http://127.0.0.1:$PORT/tenants/$tenant" || fail "registering a tenant with the fixture's admin key"
  event_id="lwa-$(cat /proc/sys/kernel/random/uuid)"
  sed -e "s/\${EVENT_ID}/$event_id/g" -e "s/\${TENANT}/$tenant/g" -e "s/\${TIME}/$(date -u +%Y-%m-%dT%H:%M:%SZ)/g" \
    "$SAMPLES/sqs-query-sampled-batch.json" >"$WORK/samples.json"
  answer=$(curl -s -H 'Content-Type: application/json' -d @"$WORK/samples.json" "http://127.0.0.1:$PORT$EVENTS")
  if [ "$answer" = '{"batchItemFailures":[{"itemIdentifier":"7c1a2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"}]}' ]; then
    pass "an SQS batch of sampled queries on $EVENTS reports only the record without text"
  else
    fail "the samples batch answered: $answer"
  fi
  windows=$(curl -s -H "$ADMIN" "http://127.0.0.1:$PORT/tenants/$tenant/features/search/windows")
  if python3 -c 'import json,sys; w=json.loads(sys.argv[1]); sys.exit(0 if len(w)==1 and w[0]["seen"]==1 else 1)' "$windows"; then
    pass "the sampled query was embedded by the embedding function and kept in its window"
  else
    fail "the windows show $windows"
  fi
  for sample in scheduler-drift-run.json eventbridge-scheduled-event.json; do
    code=$(curl -s -o "$WORK/run.json" -w '%{http_code}' -H 'Content-Type: application/json' \
      -d @"$SAMPLES/$sample" "http://127.0.0.1:$PORT$EVENTS")
    if [ "$code" = 200 ] && grep -q '"processed"' "$WORK/run.json"; then
      pass "$sample on $EVENTS starts a drift run"
    else
      fail "$sample answered $code: $(cat "$WORK/run.json")"
    fi
  done
  for path in "$EVENTS" / /query-sampled /drift-run; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
      -H 'x-amzn-request-context: {"http":{"method":"POST"}}' -d @"$SAMPLES/scheduler-drift-run.json" "http://127.0.0.1:$PORT$path")
    if [ "$code" = 404 ]; then pass "a function URL caller gets 404 on drift's $path"; else fail "a function URL caller got $code on drift's $path"; fi
  done
fi
stop_package "$PID"

echo "lwa-contract: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
