#!/usr/bin/env bash
# Lease operations per second on the quota function (issue 4's "cost of a check", server side).
#
#   load-tests/bench/quota-lease-bench.sh      (build first: mvn -pl functions/quota -am package)
#
# Starts the quota function (%local profile, the local PostgreSQL), creates TENANTS tenants with
# tokens-per-minute, requests-per-minute and tokens-per-day budgets and one provider account, warms
# up, then runs wrk (CONNECTIONS connections) ROUNDS times for DURATION seconds for each claims-per-
# call setting in CLAIMS_SET and reports the median calls/s and claims/s (a claim is one lease
# operation: one budget renewed for one instance).
# Environment: ROUNDS (3), DURATION (15), CONNECTIONS (32), TENANTS (64), INSTANCES (8),
# CLAIMS_SET ("1 4"), QUOTA_DB_POOL (16), QUOTA_JAVA_OPTS (functions/quota/jvm.options).
# Results: a Markdown table on stdout and in target/bench/quota-lease-<time>.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/target/bench"
mkdir -p "$OUT"
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-32}
TENANTS=${TENANTS:-64}
INSTANCES=${INSTANCES:-8}
CLAIMS_SET=${CLAIMS_SET:-"1 4"}
PORT=19081
ADMIN="Authorization: Bearer sk-spillway-admin-local-dev"
SERVICE_KEY=sk-spillway-service-local-dev
JAR="$ROOT/functions/quota/target/quarkus-app/quarkus-run.jar"
PREFIX="bench$(date +%s)"
QUOTA_JAVA_OPTS=${QUOTA_JAVA_OPTS:-$(grep -v '^#' "$ROOT/functions/quota/jvm.options" | tr '\n' ' ')}
ACCOUNT="$PREFIX-acct"

say() { printf '[bench] %s\n' "$*" >&2; }
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
[ -f "$JAR" ] || { echo "build first: mvn -B -pl functions/quota -am package -DskipTests" >&2; exit 1; }
wait_ready() { for _ in $(seq 1 600); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.05; done; echo "not ready: $1" >&2; return 1; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}'; }
field() { sed -nE "s/.*$1=([0-9.]+).*/\1/p"; }
post() { curl -fsS -o /dev/null -X "$1" "http://127.0.0.1:$PORT$2" -H "$ADMIN" -H 'Content-Type: application/json' -d "$3"; }

say "quota function on :$PORT (pool ${QUOTA_DB_POOL:-16})"
QUOTA_PORT=$PORT java $QUOTA_JAVA_OPTS -Dquarkus.profile=local -Dquarkus.log.level=WARN -jar "$JAR" >"$OUT/quota.log" 2>&1 &
PIDS+=($!)
QUOTA_PID=$!
wait_ready "http://127.0.0.1:$PORT/q/health/ready"

say "creating $TENANTS tenants with budgets, and account $ACCOUNT"
post POST /admin/accounts "{\"name\":\"$ACCOUNT\"}"
post PUT "/admin/accounts/$ACCOUNT/budgets/tokens-per-minute" '{"limit":1000000000}'
for i in $(seq 1 "$TENANTS"); do
  t="$PREFIX-t$i"
  post POST /admin/tenants "{\"name\":\"$t\",\"weight\":$(( (i % 3) + 1 ))}"
  post PUT "/admin/tenants/$t/budgets/tokens-per-minute" '{"limit":1000000000}'
  post PUT "/admin/tenants/$t/budgets/requests-per-minute" '{"limit":1000000000}'
  post PUT "/admin/tenants/$t/budgets/tokens-per-day" '{"limit":1000000000}'
done

run() { # claims duration
  PREFIX=$PREFIX KEY=$SERVICE_KEY TENANTS=$TENANTS INSTANCES=$INSTANCES CLAIMS=$1 ACCOUNT=$ACCOUNT \
    wrk -t2 -c"$CONNECTIONS" -d"$2s" -s "$ROOT/load-tests/bench/lease.lua" "http://127.0.0.1:$PORT/leases" | grep RESULT
}
say "warm-up (JIT) 15 s"
run 4 15 >/dev/null

declare -A CALLS LAT50 LAT99
for claims in $CLAIMS_SET; do
  : >"$OUT/lease-rps-$claims"; : >"$OUT/lease-p50-$claims"; : >"$OUT/lease-p99-$claims"
  for r in $(seq 1 "$ROUNDS"); do
    line=$(run "$claims" "$DURATION")
    say "claims/call=$claims round $r: $line"
    [ "$(echo "$line" | field errors)" = "0" ] || say "WARNING: errors (non-2xx or socket) in this run"
    echo "$line" | field rps >>"$OUT/lease-rps-$claims"
    echo "$line" | field p50_ms >>"$OUT/lease-p50-$claims"
    echo "$line" | field p99_ms >>"$OUT/lease-p99-$claims"
  done
  CALLS[$claims]=$(median <"$OUT/lease-rps-$claims")
  LAT50[$claims]=$(median <"$OUT/lease-p50-$claims")
  LAT99[$claims]=$(median <"$OUT/lease-p99-$claims")
done
RSS_MIB=$(( $(ps -o rss= -p "$QUOTA_PID") / 1024 ))

REPORT="$OUT/quota-lease-$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "| claims per call | calls/s (median of $ROUNDS) | lease operations/s | p50 ms | p99 ms |"
  echo "|---|---|---|---|---|"
  for claims in $CLAIMS_SET; do
    ops=$(awk -v c="${CALLS[$claims]}" -v n="$claims" 'BEGIN {printf "%.0f", c * n}')
    echo "| $claims | ${CALLS[$claims]} | $ops | ${LAT50[$claims]} | ${LAT99[$claims]} |"
  done
  echo
  echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s, $TENANTS tenants, $INSTANCES instances, $(nproc) cores, quota RSS ${RSS_MIB} MiB after the runs."
} | tee "$REPORT"
say "report: $REPORT"
