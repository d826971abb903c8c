#!/usr/bin/env bash
# Gateway vs direct-to-simulator, side by side in one run (issue 2's benchmark).
#
#   bin/spillway bench            (builds first), or load-tests/bench/gateway-bench.sh
#
# Phases, each alternating direct and gateway runs so that machine noise hits both alike:
#   1. non-stream throughput at saturation (wrk, 64 connections), 3 rounds each, medians;
#   2. TTFT at 1, 16 and 64 concurrent streams (StreamLatencyProbe), 3 rounds each, medians;
#   3. CPU per stream: the gateway's and the simulator's own CPU time (utime + stime from
#      /proc/<pid>/stat) over 4,000 streams at 16 concurrent, per stream, 3 rounds, medians;
#   4. event-loop lag under adversarial schemas: TTFT p99 and max at 16 streams, alone and while
#      two clients send answers that a backtracking regex engine could never finish with;
#   5. gateway resident memory after the load;
#   6. time from process start to the first served request, JDK 17 and, where present, JDK 25
#      without and with an AOT cache (5 starts each, median).
# Environment: ROUNDS (3), DURATION (15 s per wrk run), UPSTREAM_TTFT_MS (20), ADVERSARIAL (1; 0
# skips phase 4, e.g. for a build from before linear-time patterns, which would never finish it).
# Results: a Markdown table on stdout and in target/bench/gateway-<time>.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/target/bench"
mkdir -p "$OUT"
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-15}
UPSTREAM_TTFT_MS=${UPSTREAM_TTFT_MS:-20}
ADVERSARIAL=${ADVERSARIAL:-1}
SIM_PORT=19090
GW_PORT=19080
KEY=sk-spillway-local-dev
GATEWAY_JAR="$ROOT/functions/gateway/target/quarkus-app/quarkus-run.jar"
SIM_JAR=$(ls "$ROOT"/load-tests/simulator/target/spillway-upstream-simulator-*-all.jar | head -1)
STREAM_MODEL="gpt-4o-mini@ttft=${UPSTREAM_TTFT_MS},itl=2,tokens=16"
JDK25=$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1 || true)

say() { printf '[bench] %s\n' "$*" >&2; }
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

if ! command -v wrk >/dev/null; then
  say "installing wrk"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
[ -f "$GATEWAY_JAR" ] && [ -f "$SIM_JAR" ] || { echo "build first: bin/spillway bench" >&2; exit 1; }

wait_ready() { for _ in $(seq 1 600); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.05; done; echo "not ready: $1" >&2; return 1; }

# The gateway's extra route for streams: the upstream model name carries the simulator's
# fixed-latency directives, so direct and gateway runs ask the simulator for the same thing.
# The same JVM sizing bin/spillway up uses.
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-$(grep -v '^#' "$ROOT/functions/gateway/jvm.options" | tr '\n' ' ')}
GATEWAY_PROPS=(
  -Dquarkus.profile=local
  "-Dgateway.routes.\"bench-stream\".targets[0].provider=openai"
  "-Dgateway.routes.\"bench-stream\".targets[0].model=$STREAM_MODEL"
  "-Dgateway.routes.\"bench-adversarial\".targets[0].provider=openai"
  "-Dgateway.routes.\"bench-adversarial\".targets[0].model=gpt-4o-mini"
  "-Dgateway.routes.\"bench-adversarial\".validation.repetition=false"
  -Dquarkus.log.level=WARN
)

start_gateway() { # java-binary [extra jvm args...]
  local java=$1; shift
  GATEWAY_PORT=$GW_PORT OPENAI_BASE_URL="http://127.0.0.1:$SIM_PORT/v1" ANTHROPIC_BASE_URL="http://127.0.0.1:$SIM_PORT" \
    "$java" $GATEWAY_JAVA_OPTS "$@" "${GATEWAY_PROPS[@]}" -jar "$GATEWAY_JAR" >"$OUT/gateway.log" 2>&1 &
  GW_PID=$!
  PIDS+=($GW_PID)
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
field() { sed -nE "s/.*$1=([0-9.]+).*/\1/p"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d$1)"; }

say "simulator on :$SIM_PORT (no latency for throughput runs; streams use $STREAM_MODEL)"
java -jar "$SIM_JAR" --port $SIM_PORT --seed 42 --ttft-ms 0 --itl-ms 0 --tokens 16 >"$OUT/simulator.log" 2>&1 &
SIM_PID=$!
PIDS+=($SIM_PID)
wait_ready "http://127.0.0.1:$SIM_PORT/health"
start_gateway java
wait_ready "http://127.0.0.1:$GW_PORT/q/health/ready"

say "warm-up (JIT) 10 s each"
KEY=$KEY MODEL=gpt-4o-mini wrk -t2 -c32 -d10s -s "$ROOT/load-tests/bench/chat.lua" "http://127.0.0.1:$GW_PORT/v1/chat/completions" >/dev/null
KEY=$KEY MODEL=gpt-4o-mini wrk -t2 -c32 -d5s -s "$ROOT/load-tests/bench/chat.lua" "http://127.0.0.1:$SIM_PORT/v1/chat/completions" >/dev/null

: >"$OUT/rps-direct" ; : >"$OUT/rps-gateway"; : >"$OUT/lat-direct"; : >"$OUT/lat-gateway"
for r in $(seq 1 "$ROUNDS"); do
  for target in direct gateway; do
    port=$SIM_PORT; [ $target = gateway ] && port=$GW_PORT
    line=$(KEY=$KEY MODEL=gpt-4o-mini wrk -t2 -c64 -d"${DURATION}s" -s "$ROOT/load-tests/bench/chat.lua" \
      "http://127.0.0.1:$port/v1/chat/completions" | grep RESULT)
    say "throughput round $r $target: $line"
    echo "$line" | field rps >>"$OUT/rps-$target"
    echo "$line" | field p50_ms >>"$OUT/lat-$target"
    if [ "$(echo "$line" | field errors)" != "0" ]; then say "WARNING: errors in $target run"; fi
  done
done
RPS_DIRECT=$(median <"$OUT/rps-direct"); RPS_GW=$(median <"$OUT/rps-gateway")

probe() { # port model concurrency requests
  java -cp "$SIM_JAR" dev.spillway.simulator.bench.StreamLatencyProbe \
    --url "http://127.0.0.1:$1/v1/chat/completions" --key "$KEY" --model "$2" \
    --concurrency "$3" --requests "$4" --warmup "$(( $4 / 5 ))"
}
say "stream warm-up (JIT on the streaming path)"
probe $GW_PORT bench-stream 16 3000 >/dev/null
probe $SIM_PORT "$STREAM_MODEL" 16 1000 >/dev/null
declare -A TTFT
for c in 1 16 64; do
  # Enough streams that each run's p99 rests on dozens of samples, not a handful.
  n=$(( c == 1 ? 600 : c * 200 ))
  for target in direct gateway; do : >"$OUT/ttft50-$target-$c"; : >"$OUT/ttft99-$target-$c"; done
  for r in $(seq 1 "$ROUNDS"); do
    for target in direct gateway; do
      if [ $target = direct ]; then res=$(probe $SIM_PORT "$STREAM_MODEL" $c $n); else res=$(probe $GW_PORT bench-stream $c $n); fi
      say "ttft c=$c round $r $target: $res"
      [ "$(echo "$res" | json "['errors']")" = "0" ] || say "WARNING: stream errors in $target run"
      echo "$res" | json "['ttft_ms']['p50']" >>"$OUT/ttft50-$target-$c"
      echo "$res" | json "['ttft_ms']['p99']" >>"$OUT/ttft99-$target-$c"
    done
  done
  for q in 50 99; do
    TTFT[direct-$q-$c]=$(median <"$OUT/ttft$q-direct-$c")
    TTFT[gateway-$q-$c]=$(median <"$OUT/ttft$q-gateway-$c")
  done
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TCK=$(getconf CLK_TCK)
CPU_STREAMS=4000
: >"$OUT/cpu-gateway"; : >"$OUT/cpu-simulator"
for r in $(seq 1 "$ROUNDS"); do
  g0=$(cpu_ticks "$GW_PID")
  probe $GW_PORT bench-stream 16 $CPU_STREAMS >/dev/null
  g1=$(cpu_ticks "$GW_PID"); s0=$(cpu_ticks "$SIM_PID")
  probe $SIM_PORT "$STREAM_MODEL" 16 $CPU_STREAMS >/dev/null
  s1=$(cpu_ticks "$SIM_PID")
  gms=$(awk -v t=$((g1 - g0)) -v n=$CPU_STREAMS -v h="$TCK" 'BEGIN {printf "%.3f", t * 1000 / h / n}')
  sms=$(awk -v t=$((s1 - s0)) -v n=$CPU_STREAMS -v h="$TCK" 'BEGIN {printf "%.3f", t * 1000 / h / n}')
  say "cpu per stream round $r: gateway $gms ms, simulator (direct) $sms ms"
  echo "$gms" >>"$OUT/cpu-gateway"; echo "$sms" >>"$OUT/cpu-simulator"
done

# An answer of 50,000 a's and a "!" against the pattern (a+)+$: a backtracking engine takes
# exponential time to reject it. The simulator writes a schema's const as the answer; repetition
# checking is off on this route, so the pattern itself is what runs.
python3 - "$OUT/adversarial.json" <<'PY'
import json, sys
schema = {"type": "object", "required": ["w"], "properties": {
    "w": {"type": "string", "const": "a" * 50000 + "!", "pattern": "(a+)+$"}}}
body = {"model": "bench-adversarial", "messages": [{"role": "user", "content": "x"}],
        "response_format": {"type": "json_schema", "json_schema": {"name": "w", "schema": schema}}}
json.dump(body, open(sys.argv[1], "w"))
PY
attack() { # until killed: adversarial requests, one status per line
  while true; do
    curl -s --max-time 30 -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
      --data-binary @"$OUT/adversarial.json" "http://127.0.0.1:$GW_PORT/v1/chat/completions"
  done
}
: >"$OUT/lag99-calm"; : >"$OUT/lag99-attack"; : >"$OUT/lagmax-calm"; : >"$OUT/lagmax-attack"; : >"$OUT/attack-status"
for r in $(seq 1 "$ROUNDS"); do
  [ "$ADVERSARIAL" = 1 ] || break
  res=$(probe $GW_PORT bench-stream 16 3200)
  echo "$res" | json "['ttft_ms']['p99']" >>"$OUT/lag99-calm"; echo "$res" | json "['ttft_ms']['max']" >>"$OUT/lagmax-calm"
  attack >>"$OUT/attack-status" & A1=$!; attack >>"$OUT/attack-status" & A2=$!
  res=$(probe $GW_PORT bench-stream 16 3200)
  kill $A1 $A2; wait $A1 $A2 2>/dev/null || true
  echo "$res" | json "['ttft_ms']['p99']" >>"$OUT/lag99-attack"; echo "$res" | json "['ttft_ms']['max']" >>"$OUT/lagmax-attack"
  say "adversarial round $r: under attack $res"
done
ATTACKS=$(grep -c . "$OUT/attack-status" || true)
ATTACK_STATUSES=$(sort "$OUT/attack-status" | uniq -c | awk '{printf "%s×%s ", $1, $2}')
say "adversarial requests: $ATTACKS ($ATTACK_STATUSES)"

RSS_MIB=$(( $(ps -o rss= -p "$GW_PID") / 1024 ))
kill "$GW_PID"; wait "$GW_PID" 2>/dev/null || true

first_request_ms() { # java [jvm args]: ms from launch to the first 200 on /v1/models
  local start end
  start=$(date +%s%N)
  start_gateway "$@"
  until curl -fsS -o /dev/null -H "Authorization: Bearer $KEY" "http://127.0.0.1:$GW_PORT/v1/models" 2>/dev/null; do sleep 0.005; done
  end=$(date +%s%N)
  kill "$GW_PID"; wait "$GW_PID" 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}
startup_median() { local i; for i in 1 2 3 4 5; do first_request_ms "$@"; done | median; }
START_17=$(startup_median java)
START_25=n/a; START_25_AOT=n/a
if [ -n "$JDK25" ]; then
  START_25=$(startup_median "$JDK25/bin/java")
  say "training the JDK 25 AOT cache"
  rm -f "$OUT/gateway.aot"
  start_gateway "$JDK25/bin/java" -XX:AOTCacheOutput="$OUT/gateway.aot"
  wait_ready "http://127.0.0.1:$GW_PORT/q/health/ready"
  KEY=$KEY MODEL=gpt-4o-mini wrk -t1 -c4 -d3s -s "$ROOT/load-tests/bench/chat.lua" "http://127.0.0.1:$GW_PORT/v1/chat/completions" >/dev/null
  kill "$GW_PID"; wait "$GW_PID" 2>/dev/null || true
  if [ -f "$OUT/gateway.aot" ]; then START_25_AOT=$(startup_median "$JDK25/bin/java" -XX:AOTCache="$OUT/gateway.aot"); fi
fi

ratio=$(awk -v g="$RPS_GW" -v d="$RPS_DIRECT" 'BEGIN {printf "%.2f", g/d}')
added() { awk -v g="$1" -v d="$2" 'BEGIN {printf "%+.2f", g-d}'; }
REPORT="$OUT/gateway-$(date +%Y%m%d-%H%M%S).md"
{
  echo "| Measure | Direct to simulator | Through gateway | Gateway adds / ratio |"
  echo "|---|---|---|---|"
  echo "| Non-stream throughput, 64 connections (req/s, median of $ROUNDS) | $RPS_DIRECT | $RPS_GW | ratio $ratio |"
  echo "| Non-stream latency p50 at saturation (ms) | $(median <"$OUT/lat-direct") | $(median <"$OUT/lat-gateway") | |"
  for c in 1 16 64; do
    echo "| TTFT p50, $c streams (ms) | ${TTFT[direct-50-$c]} | ${TTFT[gateway-50-$c]} | $(added "${TTFT[gateway-50-$c]}" "${TTFT[direct-50-$c]}") ms |"
    echo "| TTFT p99, $c streams (ms) | ${TTFT[direct-99-$c]} | ${TTFT[gateway-99-$c]} | $(added "${TTFT[gateway-99-$c]}" "${TTFT[direct-99-$c]}") ms |"
  done
  echo "| CPU per 16-token stream (ms, median of $ROUNDS × $CPU_STREAMS streams) | $(median <"$OUT/cpu-simulator") (simulator) | $(median <"$OUT/cpu-gateway") | |"
  echo "| TTFT p99, 16 streams, calm / under adversarial schemas (ms) | | $(median <"$OUT/lag99-calm") / $(median <"$OUT/lag99-attack") | $(added "$(median <"$OUT/lag99-attack")" "$(median <"$OUT/lag99-calm")") ms |"
  echo "| TTFT max, 16 streams, calm / under adversarial schemas (ms) | | $(median <"$OUT/lagmax-calm") / $(median <"$OUT/lagmax-attack") | $(added "$(median <"$OUT/lagmax-attack")" "$(median <"$OUT/lagmax-calm")") ms |"
  echo "| Adversarial requests during those runs | | $ATTACKS ($ATTACK_STATUSES) | |"
  echo "| Gateway RSS after the load (MiB) | | $RSS_MIB | |"
  echo "| Start to first served request, JDK 17 (ms, median of 5) | | $START_17 | |"
  echo "| Start to first served request, JDK 25 (ms) | | $START_25 | |"
  echo "| Start to first served request, JDK 25 + AOT cache (ms) | | $START_25_AOT | |"
} | tee "$REPORT"
say "report: ${REPORT#"$ROOT"/}"
