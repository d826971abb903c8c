#!/usr/bin/env bash
# Drift benchmarks (issue 6): the validation on real data (MMLU) and the function's performance.
#
#   bin/spillway bench drift, or load-tests/bench/drift-bench.sh (after a build)
#   PHASES="validation service"   which phases (default both)
#   SPLITS (200) TRIALS (100) N (1000)   the validation's sizes
#
# validation: MMLU prompts embedded by the embedding function (fp32 MiniLM, a separate process);
#   no-drift false-positive rate over SPLITS splits, detection rate of TRIALS windows per injected
#   share, emerging terms, coverage (DriftValidationRun).
# service: the packaged drift function on PostgreSQL: ingestion samples/s (batches of 500 beside
#   single-sample requests in the same run), and full reports of 2,000 x 2,000 samples with 200
#   permutations (DriftServiceBench).
# Results: Markdown on stdout and in target/bench/drift-<time>.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/target/bench"
mkdir -p "$OUT"
PHASES=${PHASES:-validation service}
phase() { [[ " $PHASES " == *" $1 "* ]]; }
MODULE="$ROOT/functions/drift"
MMLU="$ROOT/../shared/data/routing/mmlu"
EMB_PORT=19282
DRIFT_PORT=19283
ADMIN_KEY=sk-spillway-admin-local-dev
REPORT="$OUT/drift-$(date -u +%Y%m%dT%H%M%SZ).md"

say() { printf '[drift-bench] %s\n' "$*" >&2; }
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
wait_ready() { # url log
  for _ in $(seq 1 1200); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done
  tail -40 "$2" >&2; echo "not ready: $1" >&2; exit 1
}

[ -d "$MMLU" ] || { echo "the MMLU prompts are missing at $MMLU (the repository sits next to shared/)" >&2; exit 1; }
say "building the embedding and drift functions (tests skipped)"
(cd "$ROOT" && mvn -B -q -ntp -pl functions/embedding,functions/drift -am package -DskipTests -Dspotless.check.skip=true)
(cd "$ROOT" && mvn -B -q -ntp -pl functions/drift -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test -Dspotless.check.skip=true)
CP="$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$MODULE/target/test-classpath.txt")"
"$ROOT/bin/spillway" db start >&2

{
  echo "# Drift benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores, $(java -version 2>&1 | head -1); load before: $(cut -d' ' -f1-3 /proc/loadavg). Commit $(cd "$ROOT" && git rev-parse --short HEAD)."
  echo
} | tee "$REPORT"

if phase validation; then
  say "the embedding function (fp32) on :$EMB_PORT"
  EMBEDDING_PORT=$EMB_PORT EMBEDDING_MODELS_DIR="$ROOT/onnx-models" \
    java -Xmx1g -Dembedding.models=all-minilm-l6-v2 -Dquarkus.log.level=WARN \
    -jar "$ROOT/functions/embedding/target/quarkus-app/quarkus-run.jar" >"$OUT/drift-embedding.log" 2>&1 &
  PIDS+=($!)
  wait_ready "http://127.0.0.1:$EMB_PORT/q/health/ready" "$OUT/drift-embedding.log"
  say "validation on MMLU: ${SPLITS:-200} null splits, ${TRIALS:-100} trials per share, n = ${N:-1000}"
  echo "## Validation on MMLU (\`DriftValidationRun\`)" | tee -a "$REPORT"
  echo | tee -a "$REPORT"
  (cd "$MODULE" && java -Xmx2g -cp "$CP" dev.spillway.drift.validation.DriftValidationRun "$MMLU" \
      "http://127.0.0.1:$EMB_PORT" "$ROOT/onnx-models/all-minilm-l6-v2/all-minilm-l6-v2-tokenizer.json" \
      "${SPLITS:-200}" "${TRIALS:-100}" "${N:-1000}") | tee -a "$REPORT"
  echo | tee -a "$REPORT"
fi

if phase service; then
  DRIFT_JAVA_OPTS=${DRIFT_JAVA_OPTS:-$(grep -v '^#' "$MODULE/jvm.options" | tr '\n' ' ')}
  say "the drift function on :$DRIFT_PORT ($DRIFT_JAVA_OPTS)"
  DRIFT_PORT=$DRIFT_PORT DRIFT_SCHEDULE_EVERY=off \
    DRIFT_TOKENIZER="$ROOT/onnx-models/all-minilm-l6-v2/all-minilm-l6-v2-tokenizer.json" \
    java $DRIFT_JAVA_OPTS -Dquarkus.profile=local -Dquarkus.log.level=WARN -jar "$MODULE/target/quarkus-app/quarkus-run.jar" \
    >"$OUT/drift-function.log" 2>&1 &
  PIDS+=($!)
  wait_ready "http://127.0.0.1:$DRIFT_PORT/q/health/ready" "$OUT/drift-function.log"
  echo "## The drift function over HTTP (\`DriftServiceBench\`; JVM options: $DRIFT_JAVA_OPTS)" | tee -a "$REPORT"
  echo | tee -a "$REPORT"
  java -cp "$CP" dev.spillway.drift.bench.DriftServiceBench "http://127.0.0.1:$DRIFT_PORT" "$ADMIN_KEY" \
    "${SAMPLES:-20000}" "${REPORTS:-5}" | tee -a "$REPORT"
fi
say "report: ${REPORT#"$ROOT"/}"
