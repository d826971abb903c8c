#!/usr/bin/env bash
# Cold start of the gateway, quota and drift functions on the JVM, side by side in one run:
# time from `java …` to the first served request, and the first request against warm ones.
#
#   bin/spillway bench cold-start        (builds first), or load-tests/bench/cold-start-bench.sh
#
# Variants, each started RUNS times per function, interleaved so that machine noise hits all alike:
#   jdk17          the default packaging (fast-jar) on JDK 17, as bin/spillway up runs it
#   jdk17-appcds   JDK 17 with a dynamic AppCDS archive trained on this workload
#   jdk25          the default packaging on JDK 25
#   jdk25-aot      JDK 25 with a Leyden AOT cache (JEP 483/515) trained on this workload
#   jdk25-aot-c1   the same with -XX:TieredStopAtLevel=1: C1 only, no C2 compiling beside the start
#                  on two cores (cheaper starts, slower peak: see docs/benchmarks/cold-start.md)
# The two trained variants use Quarkus' aot-jar packaging (quarkus.package.jar.aot.enabled), a plain
# class path that the JDK's archives can hold; the fast-jar's own class loader cannot be archived.
# Each start: poll readiness every 10 ms (what the Lambda Web Adapter does), send the function's
# first request, then WARM more; "first served" is launch to the end of the first response.
# Environment: RUNS (10), WARM (20), FUNCTIONS ("gateway quota drift").
# Results: a Markdown table on stdout and in target/bench/cold-start-<time>.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/target/bench/cold-start"
mkdir -p "$OUT"
RUNS=${RUNS:-10}
WARM=${WARM:-20}
FUNCTIONS=${FUNCTIONS:-gateway quota drift}
SIM_PORT=19190
PORT=19180
JDK17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDK25=${JDK25:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1 || true)}
PG_URL="postgresql://127.0.0.1:${PG_PORT:-5432}/spillway"

say() { printf '[bench] %s\n' "$*" >&2; }
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

[ -x "$JDK25/bin/java" ] || { echo "JDK 25 not found (set JDK25=/path/to/jdk)" >&2; exit 1; }
SIM_JAR=$(ls "$ROOT"/load-tests/simulator/target/spillway-upstream-simulator-*-all.jar 2>/dev/null | head -1)
[ -n "$SIM_JAR" ] || { echo "build first: bin/spillway bench cold-start" >&2; exit 1; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }
jvm_options() { grep -v '^#' "$ROOT/functions/$1/jvm.options" | tr '\n' ' '; }

# --- what each function needs to start and what its first request is ---------------------------

env_for() { # function -> env assignments
  case $1 in
    gateway) echo "GATEWAY_PORT=$PORT OPENAI_BASE_URL=http://127.0.0.1:$SIM_PORT/v1 ANTHROPIC_BASE_URL=http://127.0.0.1:$SIM_PORT" ;;
    quota) echo "QUOTA_PORT=$PORT QUOTA_DB_URL=$PG_URL" ;;
    drift) echo "DRIFT_PORT=$PORT DRIFT_TOKENIZER=$ROOT/onnx-models/all-minilm-l6-v2/all-minilm-l6-v2-tokenizer.json DRIFT_EMBEDDING_URL=http://127.0.0.1:1 DRIFT_QUOTA_URL=http://127.0.0.1:1 DRIFT_QUOTA_SERVICE_KEY=unused DRIFT_SCHEDULE_EVERY=off" ;;
  esac
}

props_for() { # function -> system properties
  case $1 in
    # A route whose upstream answers at once, so that the request measures the gateway alone.
    gateway) echo '-Dquarkus.profile=local -Dgateway.routes."bench-fast".targets[0].provider=openai -Dgateway.routes."bench-fast".targets[0].model=gpt-4o-mini@ttft=0,itl=0,tokens=8 -Dquarkus.log.level=WARN' ;;
    *) echo '-Dquarkus.profile=local -Dquarkus.log.level=WARN' ;;
  esac
}

# One request of the function's real work; prints its duration in ms, fails unless it was served.
request() { # function
  local code time
  case $1 in
    gateway)
      read -r code time < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' \
        "http://127.0.0.1:$PORT/v1/chat/completions" -H 'Authorization: Bearer sk-spillway-local-dev' \
        -H 'Content-Type: application/json' \
        -d '{"model":"bench-fast","messages":[{"role":"user","content":"Hello there, how are you?"}]}') ;;
    quota)
      # The gateway's call: resolve a key hash (the local key; 404 when it was never seeded).
      read -r code time < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' \
        "http://127.0.0.1:$PORT/keys/lookup" -H 'Authorization: Bearer sk-spillway-service-local-dev' \
        -H 'Content-Type: application/json' \
        -d '{"key_hash":"66f503c841e8254e777bc771bc6b9a2feefd8b268770c7d7de29d769f8193798"}') ;;
    drift)
      read -r code time < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' \
        "http://127.0.0.1:$PORT/tenants/local" -H 'Authorization: Bearer sk-spillway-admin-local-dev') ;;
  esac
  case $code in 200 | 404) ;; *) echo "first request of $1 answered HTTP $code" >&2; return 1 ;; esac
  awk -v t="$time" 'BEGIN { printf "%.1f\n", t * 1000 }'
}

jar_for() { # function variant
  case $2 in
    *-appcds | *-aot | *-aot-c1) echo "$ROOT/functions/$1/target/aot-build/quarkus-run.jar" ;;
    *) echo "$ROOT/functions/$1/target/quarkus-app/quarkus-run.jar" ;;
  esac
}

java_for() { case $1 in jdk17*) echo "$JDK17/bin/java" ;; *) echo "$JDK25/bin/java" ;; esac; }

archive_flags() { # function variant mode(train|use)
  local archive="$OUT/$1-$2"
  case $2 in
    jdk17-appcds) [ "$3" = train ] && echo "-XX:ArchiveClassesAtExit=$archive.jsa" || echo "-XX:SharedArchiveFile=$archive.jsa" ;;
    jdk25-aot) [ "$3" = train ] && echo "-XX:AOTCacheOutput=$archive.aot" || echo "-XX:AOTCache=$archive.aot" ;;
    jdk25-aot-c1) [ "$3" = train ] && echo "-XX:TieredStopAtLevel=1 -XX:AOTCacheOutput=$archive.aot" || echo "-XX:TieredStopAtLevel=1 -XX:AOTCache=$archive.aot" ;;
  esac
}

launch() { # function variant mode -> sets PID
  local fn=$1 variant=$2 mode=$3
  # shellcheck disable=SC2046
  env $(env_for "$fn") "$(java_for "$variant")" $(jvm_options "$fn") $(archive_flags "$fn" "$variant" "$mode") \
    $(props_for "$fn") -jar "$(jar_for "$fn" "$variant")" >"$OUT/$fn-$variant.log" 2>&1 &
  PID=$!
  PIDS+=("$PID")
}

stop() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

wait_ready() { # deadline seconds
  local i
  for ((i = 0; i < $1 * 100; i++)); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/q/health/ready" 2>/dev/null && return 0
    sleep 0.01
  done
  return 1
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.0f\n", m }'; }
maximum() { sort -n | tail -1 | awk '{ printf "%.0f\n", $1 }'; }

# --- build the archive-friendly packaging and train the archives -------------------------------

say "packaging gateway, quota and drift as aot-jar (quarkus.package.jar.aot.enabled) into target/aot-build"
(cd "$ROOT" && mvn -B -ntp -q package -DskipTests -Dspotless.check.skip=true \
  -pl "$(for f in $FUNCTIONS; do printf 'functions/%s,' "$f"; done | sed 's/,$//')" \
  -Dquarkus.package.jar.aot.enabled=true -Dquarkus.package.output-directory=aot-build)

say "starting the upstream simulator on :$SIM_PORT"
java -jar "$SIM_JAR" --port "$SIM_PORT" --seed 7 >"$OUT/simulator.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$SIM_PORT/health" && break; sleep 0.05; done

VARIANTS=(jdk17 jdk17-appcds jdk25 jdk25-aot jdk25-aot-c1)
for fn in $FUNCTIONS; do
  for variant in jdk17-appcds jdk25-aot jdk25-aot-c1; do
    say "training $variant for $fn (readiness, then $((WARM * 3)) requests)"
    rm -f "$OUT/$fn-$variant.jsa" "$OUT/$fn-$variant.aot"
    launch "$fn" "$variant" train
    wait_ready 120 || { tail -20 "$OUT/$fn-$variant.log" >&2; exit 1; }
    for _ in $(seq 1 $((WARM * 3))); do request "$fn" >/dev/null; done
    stop "$PID"
  done
done

# --- measure -----------------------------------------------------------------------------------

RESULTS="$OUT/results.tsv"
: >"$RESULTS"
for run in $(seq 1 "$RUNS"); do
  for fn in $FUNCTIONS; do
    for variant in "${VARIANTS[@]}"; do
      t0=$(now_ms)
      launch "$fn" "$variant" use
      if ! wait_ready 120; then
        tail -20 "$OUT/$fn-$variant.log" >&2
        echo "$fn $variant did not become ready" >&2
        exit 1
      fi
      t_ready=$(now_ms)
      first=$(request "$fn")
      t_first=$(now_ms)
      warm=$(for _ in $(seq 1 "$WARM"); do request "$fn"; done | median)
      stop "$PID"
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$fn" "$variant" $((t_ready - t0)) $((t_first - t0)) "$first" "$warm" >>"$RESULTS"
      say "run $run $fn $variant: ready $((t_ready - t0)) ms, first served $((t_first - t0)) ms, first ${first} ms, warm ${warm} ms"
    done
  done
done

# --- report ------------------------------------------------------------------------------------

REPORT="$ROOT/target/bench/cold-start-$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "Cold start, $RUNS starts per variant, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"
  echo
  echo "| Function | Variant | Ready (ms, median / max) | First served (ms, median / max) | First request (ms, median) | Warm request (ms, median) | First / warm |"
  echo "|---|---|---|---|---|---|---|"
  for fn in $FUNCTIONS; do
    for variant in "${VARIANTS[@]}"; do
      col() { awk -F'\t' -v f="$fn" -v v="$variant" -v c="$1" '$1 == f && $2 == v { print $c }' "$RESULTS"; }
      first=$(col 5 | median)
      warm=$(col 6 | median)
      ratio=$(awk -v a="$first" -v b="$warm" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "n/a" }')
      echo "| $fn | $variant | $(col 3 | median) / $(col 3 | maximum) | $(col 4 | median) / $(col 4 | maximum) | $first | $warm | $ratio |"
    done
  done
} | tee "$REPORT"
say "report: ${REPORT#"$ROOT"/}; raw: ${RESULTS#"$ROOT"/}"
