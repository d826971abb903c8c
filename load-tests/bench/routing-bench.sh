#!/usr/bin/env bash
# Quality-routing cost benchmark (issue 14): held-out MMLU prompts through the gateway's auto route
# and through the all-strong route, with the upstream simulator replaying RouteLLM's recorded
# outcomes (gpt-4o-mini stands for Mixtral-8x7B, gpt-4o for GPT-4).
#
#   bin/spillway bench routing      (builds first), or load-tests/bench/routing-bench.sh
#
# 1. router train --holdout 0.2: a router trained on 80 % of each subject, the other 20 % held out
#    (target/router/bench-router.json, target/router/heldout.json).
# 2. The simulator (TTFT 50 ms, ITL 1 ms, 24 tokens) in outcome-replay mode; the gateway with the
#    local profile's auto route (floor 95 %) on that router, categories sent as x-spillway-category.
# 3. Gatling's RoutingCostSimulation: every held-out prompt to both routes (RATE prompts/s).
# Targets: USD per 1,000 requests on auto <= 60 % of all-strong; no subject below its floor beyond
# its interval; p95 added by routing <= 20 ms. The run fails when one is missed.
# Results: target/bench/routing-<time>.md (and .json), Gatling's HTML report under
# load-tests/gatling/target/gatling/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/target/bench"
ROUTER_DIR="$ROOT/target/router"
mkdir -p "$OUT" "$ROUTER_DIR"
SIM=19190
GW=19180
KEY=sk-spillway-local-dev
RATE=${RATE:-50}
# METHOD: how the benchmark router's thresholds are calibrated (router train --method):
# clopper-pearson (the default: the floor holds with probability >= 1 - delta) or conformal-risk
# (in expectation).
METHOD=${METHOD:-clopper-pearson}
# CLASSIFIER=1: requests name no category; the embedding function's mmlu-subject head labels them
# (started on EMB, within the route's 15 ms budget, or CLASSIFIER_TIMEOUT).
CLASSIFIER=${CLASSIFIER:-0}
EMB=19182
EMBEDDING_JAR="$ROOT/functions/embedding/target/quarkus-app/quarkus-run.jar"
GATEWAY_JAR="$ROOT/functions/gateway/target/quarkus-app/quarkus-run.jar"
SIM_JAR=$(ls "$ROOT"/load-tests/simulator/target/spillway-upstream-simulator-*-all.jar | head -1)
STAMP=$(date -u +%Y%m%d-%H%M%S)
DATA="$ROOT/../shared/data/routing/mmlu"

say() { printf '[routing] %s\n' "$*" >&2; }
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
[ -f "$GATEWAY_JAR" ] && [ -f "$SIM_JAR" ] || { echo "build first: bin/spillway bench routing" >&2; exit 1; }
[ -d "$DATA" ] || { echo "the MMLU outcomes are missing: expected $DATA" >&2; exit 1; }
wait_ready() { for _ in $(seq 1 600); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.05; done; echo "not ready: $1" >&2; return 1; }

CP="$ROOT/shared/routing/target/classes:$(cat "$ROOT/shared/routing/target/cp.txt")"
say "training the benchmark's router on 80 % of each subject, thresholds by $METHOD (about 1 minute)"
java -cp "$CP" dev.spillway.routing.RouterCommand train --data "$DATA" \
  --out "$ROUTER_DIR/bench-router.json" --holdout 0.2 --holdout-out "$ROUTER_DIR/heldout.json" --method "$METHOD" \
  --source "RouteLLM MMLU outcomes (lm-sys/RouteLLM@0b64fdafe049e596a3f5657c219329f24af24198)" \
  --licence "Apache-2.0; data from RouteLLM (Ong et al., 2024), keep this attribution" >&2

say "simulator on :$SIM replaying the outcomes (gpt-4o-mini = Mixtral-8x7B, gpt-4o = GPT-4)"
java -jar "$SIM_JAR" --port $SIM --seed 1 --ttft-ms 50 --itl-ms 1 --tokens 24 --outcomes "$DATA" \
  --outcome-model gpt-4o-mini=mistralai/Mixtral-8x7B-Instruct-v0.1 \
  --outcome-model gpt-4o=gpt-4-1106-preview >"$OUT/routing-sim.log" 2>&1 &
PIDS+=($!)
wait_ready "http://127.0.0.1:$SIM/health"

CLASSIFIER_URL=
if [ "$CLASSIFIER" = 1 ]; then
  say "embedding function on :$EMB (the classifier of the auto route)"
  EMBEDDING_PORT=$EMB EMBEDDING_MODELS_DIR="$ROOT/onnx-models" \
    java $(grep -v '^#' "$ROOT/functions/embedding/jvm.options" | tr '\n' ' ') -jar "$EMBEDDING_JAR" \
    >"$OUT/routing-embedding.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 2400); do curl -fsS -o /dev/null "http://127.0.0.1:$EMB/q/health/ready" 2>/dev/null && break; sleep 0.05; done
  CLASSIFIER_URL="http://127.0.0.1:$EMB"
fi

say "gateway on :$GW (local profile: auto = gpt-4o-mini or gpt-4o at a 95 % floor)"
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-$(grep -v '^#' "$ROOT/functions/gateway/jvm.options" | tr '\n' ' ')}
GATEWAY_PORT=$GW OPENAI_BASE_URL="http://127.0.0.1:$SIM/v1" ANTHROPIC_BASE_URL="http://127.0.0.1:$SIM" \
  GATEWAY_ROUTER_FILE="$ROUTER_DIR/bench-router.json" GATEWAY_CLASSIFIER_URL="$CLASSIFIER_URL" \
  java $GATEWAY_JAVA_OPTS -Dquarkus.profile=local -Dquarkus.log.level=WARN \
  ${CLASSIFIER_TIMEOUT:+"-Dgateway.routes.\"auto\".auto.classifier.timeout=$CLASSIFIER_TIMEOUT"} -jar "$GATEWAY_JAR" \
  >"$OUT/routing-gateway.log" 2>&1 &
PIDS+=($!)
wait_ready "http://127.0.0.1:$GW/q/health/ready"

say "Gatling RoutingCostSimulation at $RATE prompts/s"
status=0
(cd "$ROOT" && mvn -B -q -o -pl load-tests/gatling gatling:test \
  -Dgatling.simulationClass=dev.spillway.loadtest.RoutingCostSimulation \
  -DbaseUrl="http://127.0.0.1:$GW" -DapiKey=$KEY -Drate="$RATE" -DmaxTokens=64 \
  -DheldOut="$ROUTER_DIR/heldout.json" -DsummaryOut="$OUT/routing-$STAMP" ${PROMPTS:+-Dprompts=$PROMPTS} \
  -DsendCategory=$([ "$CLASSIFIER" = 1 ] && echo false || echo true)) || status=$?
[ -f "$OUT/routing-$STAMP.md" ] || { echo "the simulation wrote no summary (exit $status)" >&2; exit 1; }
say "summary: ${OUT#"$ROOT"/}/routing-$STAMP.md"
if grep -q '"verdict" : true' "$OUT/routing-$STAMP.json" && [ "$status" -eq 0 ]; then
  say "every target met"
else
  say "a target was missed (see the summary); exit 1"
  exit 1
fi
