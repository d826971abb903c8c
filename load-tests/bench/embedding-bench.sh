#!/usr/bin/env bash
# The embedding function's benchmark (issue 5): figures -> docs/benchmarks/embedding.md.
#
#   bin/spillway bench embedding      or      load-tests/bench/embedding-bench.sh
#
# Phases:
#   1. in-process, on PROMPTS (2,048) MMLU prompts, for int8 then fp32, side by side in one run:
#      the naive baseline (ONNX Runtime's default session options, fixed batches of 32 in input
#      order) against the function's session settings with dynamic batching (32 concurrent
#      callers of one prompt each, and one bulk request); real tokens/s, sequences/s, padding
#      share, and the idle latency of one short sentence (EmbeddingBench);
#   2. over HTTP against the packaged function (its default configuration), with wrk: one short
#      sentence one request at a time (1 connection) and under 32 concurrent connections, p50/p99,
#      for each model (embedding.lua);
#   3. SOAK_SECONDS (600) of mixed-length load on both models while the server's resident memory
#      is sampled each minute (SoakLoad).
# Environment: PROMPTS (2048), SOAK_SECONDS (600), PHASES ("inprocess http soak": any of them),
# EMBEDDING_JAVA_OPTS (functions/embedding/jvm.options).
# Results: Markdown tables on stdout and in target/bench/embedding-<time>.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/target/bench"
mkdir -p "$OUT"
PROMPTS=${PROMPTS:-2048}
SOAK_SECONDS=${SOAK_SECONDS:-600}
PHASES=${PHASES:-inprocess http soak}
phase() { [[ " $PHASES " == *" $1 "* ]]; }
PORT=19082
MMLU="$ROOT/../shared/data/routing/mmlu"
MODULE="$ROOT/functions/embedding"
JAR="$MODULE/target/quarkus-app/quarkus-run.jar"
REPORT="$OUT/embedding-$(date -u +%Y%m%dT%H%M%SZ).md"

say() { printf '[bench] %s\n' "$*" >&2; }
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

[ -d "$MMLU" ] || { echo "the MMLU prompts are missing at $MMLU (the repository sits next to shared/)" >&2; exit 1; }

say "building functions/embedding (model files materialised and verified; tests skipped)"
(cd "$ROOT" && mvn -B -q -ntp -pl functions/embedding -am package -DskipTests -Dspotless.check.skip=true)
(cd "$ROOT" && mvn -B -q -ntp -pl functions/embedding -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test -Dspotless.check.skip=true)
CP="$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$MODULE/target/test-classpath.txt")"

{
  echo "# Embedding benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "## In-process throughput and latency ($PROMPTS MMLU prompts)"
  echo
} | tee "$REPORT"

if phase inprocess; then
  say "phase 1: naive baseline vs dynamic batching, int8 then fp32"
  (cd "$MODULE" && java -Xmx1g -cp "$CP" dev.spillway.embedding.bench.EmbeddingBench \
      "$ROOT/onnx-models" "$MMLU" "$PROMPTS") | tee -a "$REPORT"
fi

EMBEDDING_JAVA_OPTS=${EMBEDDING_JAVA_OPTS:-$(grep -v '^#' "$MODULE/jvm.options" | tr '\n' ' ')}
say "phase 2: the packaged function on :$PORT ($EMBEDDING_JAVA_OPTS)"
EMBEDDING_PORT=$PORT EMBEDDING_MODELS_DIR="$ROOT/onnx-models" \
  java $EMBEDDING_JAVA_OPTS -Dquarkus.log.level=WARN -jar "$JAR" >"$OUT/embedding.log" 2>&1 &
SERVER=$!
PIDS+=($SERVER)
for _ in $(seq 1 600); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/q/health/ready" 2>/dev/null && break; sleep 0.1; done
curl -fsS "http://127.0.0.1:$PORT/q/health/ready" >/dev/null || { tail -40 "$OUT/embedding.log" >&2; exit 1; }

if phase http; then
{
  echo
  echo "## Over HTTP (wrk, one short sentence of 18 tokens per request)"
  echo
  echo "| model | connections | requests/s | p50 ms | p99 ms |"
  echo "|---|---|---|---|---|"
} | tee -a "$REPORT"
URL="http://127.0.0.1:$PORT/v1/embeddings"
for model in all-minilm-l6-v2-q all-minilm-l6-v2; do
  MODEL=$model wrk -t1 -c1 -d10s -s "$ROOT/load-tests/bench/embedding.lua" "$URL" >/dev/null # JIT warm-up
  for c in 1 32; do
    t=2; [ "$c" = 1 ] && t=1
    r=$(MODEL=$model wrk -t$t -c$c -d20s --latency -s "$ROOT/load-tests/bench/embedding.lua" "$URL" | grep RESULT)
    echo "| $model | $c | $(sed -nE 's/.*rps=([0-9.]+).*/\1/p' <<<"$r") | $(sed -nE 's/.*p50_ms=([0-9.]+).*/\1/p' <<<"$r") | $(sed -nE 's/.*p99_ms=([0-9.]+).*/\1/p' <<<"$r") |" | tee -a "$REPORT"
  done
done
fi
if phase soak; then
{
  echo
  echo "## Resident memory under ${SOAK_SECONDS} s of mixed-length load"
  echo
} | tee -a "$REPORT"
(cd "$MODULE" && java -Xmx512m -cp "$CP" dev.spillway.embedding.bench.SoakLoad \
    "http://127.0.0.1:$PORT" "$SERVER" "$MMLU" "$SOAK_SECONDS") | tee -a "$REPORT"
fi
{
  echo
  echo "Batching counters at the end (from /q/metrics):"
  echo
  echo '```'
  curl -fsS "http://127.0.0.1:$PORT/q/metrics" | grep -E '^embedding_(batch_size|batch_requests|batch_padding_ratio|tokens_|requests_rejected)' || true
  echo '```'
  echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$REPORT"
say "report: ${REPORT#"$ROOT"/}"
