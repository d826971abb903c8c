#!/usr/bin/env bash
# Resilience benchmark (issue 3): the gateway in front of two simulated providers, A (OpenAI
# dialect) and B (Anthropic dialect), each its own simulator process, so that A can be broken
# without touching B.
#
#   bin/spillway bench resilience       (builds first), or load-tests/bench/resilience-bench.sh
#
# Phases and the targets they check:
#   A. A answers 503 to everything, B is healthy: Gatling (ChatThroughputSimulation) at 200 req/s
#      for 60 s (12,000 requests); client success >= 99.9 % (Gatling's own assertion), and
#      upstream requests per client request <= 1.2 once A's breaker is open (from the gateway's
#      spillway_upstream_attempts_total, after a 3 s warm-up that opens it).
#   B. A stalls before the first token (hedge delay fixed at 100 ms): p99 TTFT <= hedge delay +
#      B's own p99 TTFT + 10 ms; B alone measured in the same run with the same probe. Once with
#      breakers as configured (A's opens: most requests skip it), once with breakers that never
#      open and an unbounded budget (every request is hedged; HEDGE_ONLY=1, off by default).
#   C. A full outage of A at 200 req/s: time from the onset (simulator admin API) to the breaker
#      seen OPEN on /q/health/ready, three outages, median and max; target <= 1 s.
#   D. 1,000 streams cut at a random point: with recovery on, >= 99 % complete without a
#      client-visible error; with recovery off, 100 % end with a terminal error event.
#   E. Deadlines: x-spillway-timeout-ms 500 against an upstream that needs 3 s, non-stream and
#      stream, 40 requests each: overshoot of the deadline, max; target <= 100 ms.
# Results: a Markdown summary on stdout and in target/bench/resilience-<time>.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/target/bench"
mkdir -p "$OUT"
SIM_A=19091
SIM_B=19092
GW=19080
KEY=sk-spillway-local-dev
GATEWAY_JAR="$ROOT/functions/gateway/target/quarkus-app/quarkus-run.jar"
SIM_JAR=$(ls "$ROOT"/load-tests/simulator/target/spillway-upstream-simulator-*-all.jar | head -1)
STAMP=$(date -u +%Y%m%d-%H%M%S)
REPORT="$OUT/resilience-$STAMP.md"

say() { printf '[resilience] %s\n' "$*" >&2; }
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
[ -f "$GATEWAY_JAR" ] && [ -f "$SIM_JAR" ] || { echo "build first: bin/spillway bench resilience" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: bin/spillway bench installs it" >&2; exit 1; }

wait_ready() { for _ in $(seq 1 600); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.05; done; echo "not ready: $1" >&2; return 1; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d$1)"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

route() { # name target... (provider:model)
  local name=$1 i=0 t; shift
  for t in "$@"; do
    PROPS+=("-Dgateway.routes.\"$name\".targets[$i].provider=${t%%:*}" "-Dgateway.routes.\"$name\".targets[$i].model=${t#*:}")
    i=$((i + 1))
  done
}
rule() { PROPS+=("-Dgateway.routes.\"$1\".$2=$3"); }

PROPS=(
  -Dquarkus.profile=local -Dquarkus.log.level=WARN
  -Dgateway.providers.a.kind=openai "-Dgateway.providers.a.base-url=http://127.0.0.1:$SIM_A/v1"
  -Dgateway.providers.b.kind=anthropic "-Dgateway.providers.b.base-url=http://127.0.0.1:$SIM_B"
)
B=b:claude-haiku-4-5
route bench-503 "a:m@fault=503" "$B"
route bench-stall "a:m@fault=stall-first,stall=120000" "$B"
rule bench-stall hedge.mode fixed
rule bench-stall hedge.delay 100ms
route bench-b "$B"
route bench-outage a:gpt-4o-mini "$B"
route bench-cut "a:m@fault=cut-mid,cut-at=random,tokens=40" "$B"
rule bench-cut mid-stream-recovery true
route bench-cut-off "a:m@fault=cut-mid,cut-at=random,tokens=40" "$B"
route bench-slow "a:m@ttft=3000"
route bench-slow-stream "a:m@ttft=5,itl=100,tokens=60"

# Breakers that do not open within a phase: a window of 5,000 attempts that must all fail. (A
# window of 10^8 would not do: SmallRye keeps one bit per attempt of the window, per breaker, and
# a dozen such breakers overflow the gateway's 128 MiB heap.)
NEVER_OPEN="-Dgateway.breaker.request-volume=5000 -Dgateway.breaker.failure-ratio=1.0"
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-$(grep -v '^#' "$ROOT/functions/gateway/jvm.options" | tr '\n' ' ')}
start_gateway() { # extra -D...
  GATEWAY_PORT=$GW java $GATEWAY_JAVA_OPTS "${PROPS[@]}" "$@" -jar "$GATEWAY_JAR" >"$OUT/resilience-gateway.log" 2>&1 &
  GW_PID=$!
  PIDS+=($GW_PID)
  wait_ready "http://127.0.0.1:$GW/q/health/ready"
}
stop_gateway() { kill "$GW_PID" 2>/dev/null || true; wait "$GW_PID" 2>/dev/null || true; }

# Sum of spillway_upstream_attempts_total for one provider.
attempts() { curl -fsS "http://127.0.0.1:$GW/q/metrics" | awk -v p="provider=\"$1\"" '/^spillway_upstream_attempts_total\{/ && index($0, p) {s += $NF} END {printf "%d\n", s}'; }

gatling() { # simulation model rate seconds max-error-percent
  (cd "$ROOT" && mvn -B -q -o -pl load-tests/gatling gatling:test \
    -Dgatling.simulationClass="dev.spillway.loadtest.$1" -DbaseUrl="http://127.0.0.1:$GW" -DapiKey=$KEY \
    -Dmodel="$2" -Drate="$3" -DrampSeconds=0 -DdurationSeconds="$4" -DmaxErrorPercent="$5" -DmaxTtftP95Ms=60000) 2>&1
}

probe() { # model concurrency requests
  java -cp "$SIM_JAR" dev.spillway.simulator.bench.StreamLatencyProbe \
    --url "http://127.0.0.1:$GW/v1/chat/completions" --key "$KEY" --model "$1" \
    --concurrency "$2" --requests "$3" --warmup "$(( $3 / 5 ))"
}

say "simulators: A on :$SIM_A, B on :$SIM_B (TTFT 20 ms, ITL 2 ms, 16 tokens)"
java -jar "$SIM_JAR" --port $SIM_A --seed 1 --ttft-ms 20 --itl-ms 2 --tokens 16 >"$OUT/resilience-sim-a.log" 2>&1 &
PIDS+=($!)
java -jar "$SIM_JAR" --port $SIM_B --seed 2 --ttft-ms 20 --itl-ms 2 --tokens 16 >"$OUT/resilience-sim-b.log" 2>&1 &
PIDS+=($!)
wait_ready "http://127.0.0.1:$SIM_A/health"
wait_ready "http://127.0.0.1:$SIM_B/health"
start_gateway

PHASES=${PHASES:-ABCDE}
say "warm-up (JIT) and opening A's breaker on bench-503: 3 s of wrk"
KEY=$KEY MODEL=bench-b wrk -t1 -c8 -d5s -s "$ROOT/load-tests/bench/chat.lua" "http://127.0.0.1:$GW/v1/chat/completions" >/dev/null
KEY=$KEY MODEL=bench-503 wrk -t1 -c4 -d3s -s "$ROOT/load-tests/bench/chat.lua" "http://127.0.0.1:$GW/v1/chat/completions" >/dev/null

if [[ $PHASES == *A* ]]; then
say "A. 503 from A, B healthy: Gatling at 200 req/s for 60 s"
A0=$(attempts a); B0=$(attempts b)
GATLING_A=$(gatling ChatThroughputSimulation bench-503 200 60 0.1 || true)
A1=$(attempts a); B1=$(attempts b)
echo "$GATLING_A" >"$OUT/resilience-gatling-a.txt"
# Gatling's summary row: "> request count | total | OK | KO" ("-" for none), with thousands commas.
COUNT_LINE=$(echo "$GATLING_A" | grep -m1 "> request count" | tr -d ',')
CLIENT_N=$(echo "$COUNT_LINE" | awk -F'|' '{gsub(/ /, "", $2); print $2}')
CLIENT_OK=$(echo "$COUNT_LINE" | awk -F'|' '{gsub(/ /, "", $3); print ($3 == "-" ? 0 : $3)}')
[ -n "$CLIENT_N" ] && [ "$CLIENT_N" -gt 0 ] || { say "no Gatling counts (see $OUT/resilience-gatling-a.txt)"; exit 1; }
SUCCESS_PCT=$(python3 -c "print(f'{100.0 * $CLIENT_OK / $CLIENT_N:.3f}')")
UPSTREAM_A=$(( A1 - A0 )); UPSTREAM_B=$(( B1 - B0 ))
PER_REQUEST=$(python3 -c "print(f'{($UPSTREAM_A + $UPSTREAM_B) / $CLIENT_N:.4f}')")
ASSERT_A=$(echo "$GATLING_A" | grep -m1 "percentage of failed events" || echo "assertion line not found")
say "A: $COUNT_LINE; upstream A $UPSTREAM_A, B $UPSTREAM_B; per client request $PER_REQUEST"

else CLIENT_N=0; CLIENT_OK=0; SUCCESS_PCT=-; UPSTREAM_A=-; UPSTREAM_B=-; PER_REQUEST=-; ASSERT_A="phase A not run"; fi

B_ALONE='{"ttft_ms":{"p50":"-","p90":"-","p99":0,"max":"-"}}'; B_STALL=$B_ALONE
if [[ $PHASES == *B* ]]; then
say "B. A stalls before the first token; hedge at 100 ms"
probe bench-b 8 300 >/dev/null
probe bench-stall 8 300 >/dev/null
B_ALONE=$(probe bench-b 8 1500)
B_STALL=$(probe bench-stall 8 1500)
say "B alone: $B_ALONE"
say "A stalls, breakers on: $B_STALL"
fi

# The hedge alone (HEDGE_ONLY=1): breakers that never open and an unbounded budget. Hedges spend
# the budget of the provider they go to (B), which A's stalled requests do not fill; with the
# default budget most of them would wait for A's first-token deadline instead.
B_ALONE2='{"ttft_ms":{"p50":"-","p90":"-","p99":0,"max":"-"}}'; B_HEDGE=$B_ALONE2
if [ "${HEDGE_ONLY:-0}" = 1 ]; then
  stop_gateway
  start_gateway $NEVER_OPEN -Dgateway.retry.budget-min-per-second=100000
  probe bench-b 8 300 >/dev/null
  probe bench-stall 8 300 >/dev/null
  B_ALONE2=$(probe bench-b 8 1500)
  B_HEDGE=$(probe bench-stall 8 1500)
  say "B alone: $B_ALONE2"
  say "A stalls, breakers never open (every request hedged): $B_HEDGE"
  stop_gateway
  start_gateway
fi

OPEN_MS="not run"; OPEN_MEDIAN=-; OPEN_MAX=-
if [[ $PHASES == *C* ]]; then
say "C. full outage of A at 200 req/s: 3 outages"
gatling ChatThroughputSimulation bench-outage 200 75 100 >"$OUT/resilience-gatling-c.txt" &
LOAD_PID=$!
sleep 12
: >"$OUT/resilience-open-ms"
for i in 1 2 3; do
  curl -fsS -o /dev/null "http://127.0.0.1:$SIM_A/admin/faults" -d '{"rates":{"503":1.0}}'
  t0=$(now_ms)
  until curl -fsS "http://127.0.0.1:$GW/q/health/ready" 2>/dev/null | grep -q '"breaker a[^"]*" *: *"OPEN"'; do
    [ $(( $(now_ms) - t0 )) -gt 10000 ] && { say "breaker did not open within 10 s"; break; }
  done
  t1=$(now_ms)
  echo $(( t1 - t0 )) >>"$OUT/resilience-open-ms"
  say "outage $i: breaker open after $(( t1 - t0 )) ms"
  curl -fsS -o /dev/null -X POST "http://127.0.0.1:$SIM_A/admin/reset"
  sleep 15
done
wait "$LOAD_PID" || true
OPEN_MS=$(sort -n "$OUT/resilience-open-ms" | tr '\n' ' ')
OPEN_MEDIAN=$(sort -n "$OUT/resilience-open-ms" | sed -n 2p)
OPEN_MAX=$(sort -n "$OUT/resilience-open-ms" | tail -1)

fi

stream_outcomes() { # model count -> "complete errored other"
  local dir="$OUT/resilience-streams-$1"
  rm -rf "$dir"; mkdir -p "$dir"
  seq 1 "$2" | xargs -P 16 -I{} sh -c "curl -sN -H 'Authorization: Bearer $KEY' -H 'content-type: application/json' \
    -d '{\"model\":\"$1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Tell a story {}\"}]}' \
    http://127.0.0.1:$GW/v1/chat/completions > $dir/{}.sse"
  python3 - "$dir" <<'PY'
import os, sys, json
d = sys.argv[1]; complete = errored = other = 0
for f in os.listdir(d):
    data = [l[6:] for l in open(os.path.join(d, f)).read().split("\n") if l.startswith("data: ")]
    stop_on_error = any('"finish_reason":"stop"' in x for x in data)
    if data and data[-1] == "[DONE]" and not any('"error"' in x for x in data):
        complete += 1
    elif data and '"error"' in data[-1] and "[DONE]" not in data and not stop_on_error:
        errored += 1
    else:
        other += 1
print(complete, errored, other)
PY
}
# D and E measure recovery and deadlines, not breakers: with A's breakers on, A's stream failures
# would open them after about ten streams and the rest would go straight to B (and a provider
# breaker opened by D would answer E's requests with an instant 503).
stop_gateway
start_gateway $NEVER_OPEN
say "D. 1,000 streams cut at a random point, recovery on and off (breakers that never open)"
stream_outcomes bench-cut 50 >/dev/null
stream_outcomes bench-cut-off 50 >/dev/null
read -r D_ON_OK D_ON_ERR D_ON_OTHER < <(stream_outcomes bench-cut 1000)
read -r D_OFF_OK D_OFF_ERR D_OFF_OTHER < <(stream_outcomes bench-cut-off 1000)
say "recovery on: complete $D_ON_OK, terminal error $D_ON_ERR, other $D_ON_OTHER"
say "recovery off: complete $D_OFF_OK, terminal error $D_OFF_ERR, other $D_OFF_OTHER"

say "E. deadlines: x-spillway-timeout-ms 500 against a 3 s upstream"
overshoot() { # model stream(true/false) -> max and median overshoot in ms over 40 requests
  seq 1 40 | xargs -P 8 -I{} curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $KEY" \
    -H 'content-type: application/json' -H 'x-spillway-timeout-ms: 500' \
    -d "{\"model\":\"$1\",\"stream\":$2,\"messages\":[{\"role\":\"user\",\"content\":\"hi {}\"}]}" \
    "http://127.0.0.1:$GW/v1/chat/completions" |
    python3 -c "
import sys, statistics
rows = [l.split() for l in sys.stdin if l.strip()]
want = '504' if '$2' == 'false' else '200'
assert all(r[0] == want for r in rows), 'unexpected statuses: %s' % sorted({r[0] for r in rows})
v = sorted(float(r[1]) * 1000 - 500 for r in rows)
print(f'{statistics.median(v):.1f} {v[-1]:.1f}')"
}
read -r E_NS_MED E_NS_MAX < <(overshoot bench-slow false)
read -r E_S_MED E_S_MAX < <(overshoot bench-slow-stream true)
say "non-stream overshoot median $E_NS_MED ms, max $E_NS_MAX ms; stream median $E_S_MED ms, max $E_S_MAX ms"

p() { echo "$1" | json "['ttft_ms']['$2']"; }
BOUND=$(python3 -c "print(f'{100 + $(p "$B_ALONE" p99) + 10:.1f}')")
BOUND2=$(python3 -c "print(f'{100 + $(p "$B_ALONE2" p99) + 10:.1f}')")
{
  echo "## Resilience benchmark, $(date -u +%Y-%m-%d) ($STAMP)"
  echo
  echo "Command: \`bin/spillway bench resilience\` (load-tests/bench/resilience-bench.sh). $(nproc) cores."
  echo
  echo "### A. A answers 503 to everything, B healthy (Gatling, 200 req/s, 60 s)"
  echo
  echo "| client requests | succeeded | success | upstream to A | upstream to B | upstream per client request |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
  echo "| $CLIENT_N | $CLIENT_OK | $SUCCESS_PCT % | $UPSTREAM_A | $UPSTREAM_B | $PER_REQUEST |"
  echo
  echo "Gatling: \`$ASSERT_A\`"
  echo
  echo "### B. A stalls before the first token, hedge delay 100 ms (TTFT, ms, 8 streams, 1,500 requests)"
  echo
  echo "| run | p50 | p90 | p99 | max | bound (100 + B p99 + 10) |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  echo "| B alone | $(p "$B_ALONE" p50) | $(p "$B_ALONE" p90) | $(p "$B_ALONE" p99) | $(p "$B_ALONE" max) | |"
  echo "| A stalls, breakers on | $(p "$B_STALL" p50) | $(p "$B_STALL" p90) | $(p "$B_STALL" p99) | $(p "$B_STALL" max) | $BOUND |"
  echo "| B alone (second gateway) | $(p "$B_ALONE2" p50) | $(p "$B_ALONE2" p90) | $(p "$B_ALONE2" p99) | $(p "$B_ALONE2" max) | |"
  echo "| A stalls, every request hedged (HEDGE_ONLY=1) | $(p "$B_HEDGE" p50) | $(p "$B_HEDGE" p90) | $(p "$B_HEDGE" p99) | $(p "$B_HEDGE" max) | $BOUND2 |"
  echo
  echo "### C. Breaker opening after a full outage of A at 200 req/s"
  echo
  echo "Onset to OPEN on /q/health/ready, three outages: $OPEN_MS ms (median $OPEN_MEDIAN, max $OPEN_MAX)."
  echo
  echo "### D. 1,000 streams cut at a random point"
  echo
  echo "| recovery | complete, no error | terminal error event | anything else |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| on | $D_ON_OK | $D_ON_ERR | $D_ON_OTHER |"
  echo "| off | $D_OFF_OK | $D_OFF_ERR | $D_OFF_OTHER |"
  echo
  echo "### E. Deadline overshoot (x-spillway-timeout-ms 500, upstream needs 3 s; 40 requests each)"
  echo
  echo "| mode | median | max |"
  echo "| --- | ---: | ---: |"
  echo "| non-stream (504) | $E_NS_MED ms | $E_NS_MAX ms |"
  echo "| stream (terminal error event) | $E_S_MED ms | $E_S_MAX ms |"
} | tee "$REPORT"
say "report: ${REPORT#"$ROOT"/}"
