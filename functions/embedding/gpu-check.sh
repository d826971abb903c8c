#!/usr/bin/env bash
# On a GPU machine: build the embedding function against ONNX Runtime's CUDA build (-Pcuda), check
# that CUDA and CPU vectors agree, and compare their throughput on the benchmark's MMLU prompts.
#
#   functions/embedding/gpu-check.sh            (from anywhere; needs an NVIDIA GPU, its driver,
#                                                CUDA 12 and cuDNN 9 libraries on LD_LIBRARY_PATH)
#
# Then starts the packaged function with embedding.device=auto and shows that /q/health says cuda.
# Environment: PROMPTS (2048). Exits non-zero when CUDA is not used or the vectors disagree.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODULE="$ROOT/functions/embedding"
MMLU="$ROOT/../shared/data/routing/mmlu"
PROMPTS=${PROMPTS:-2048}
say() { printf '[gpu-check] %s\n' "$*" >&2; }

command -v nvidia-smi >/dev/null && nvidia-smi -L || say "nvidia-smi not found: CUDA will likely be unavailable"
say "building with -Pcuda (onnxruntime_gpu)"
(cd "$ROOT" && mvn -B -q -ntp -Pcuda -pl functions/embedding -am package -DskipTests -Dspotless.check.skip=true)
(cd "$ROOT" && mvn -B -q -ntp -Pcuda -pl functions/embedding -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test -Dspotless.check.skip=true)
CP="$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$MODULE/target/test-classpath.txt")"

say "CUDA vs CPU: vectors and throughput on $PROMPTS MMLU prompts"
(cd "$MODULE" && java -cp "$CP" dev.spillway.embedding.bench.GpuCheck "$ROOT/onnx-models" "$MMLU" "$PROMPTS")

say "the packaged function with embedding.device=auto"
EMBEDDING_PORT=19182 EMBEDDING_MODELS_DIR="$ROOT/onnx-models" java -jar "$MODULE/target/quarkus-app/quarkus-run.jar" \
  >"$MODULE/target/gpu-check-server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -fsS -o /dev/null http://127.0.0.1:19182/q/health/ready 2>/dev/null && break; sleep 0.1; done
curl -fsS http://127.0.0.1:19182/q/health/ready | tee /dev/stderr | grep -q '"device": *"cuda"' \
  || { say "the function does not report cuda"; exit 1; }
say "ok: CUDA in use, vectors agree"
