#!/usr/bin/env bash
# Quota benchmarks (issue 4): PostgreSQL, the quota function, the upstream simulator and gateway
# processes (separate JVMs that share nothing but the quota function).
#
#   bin/spillway bench quota            (builds first), or load-tests/bench/quota-bench.sh
#   PHASES=A|N|AN                       which phases (default AN)
#
# A. Accuracy: GATEWAYS (4) gateways, 64 wrk connections each, one tenant with a tokens-per-minute
#    budget (BUDGET, default 300,000), for MINUTES (6) full UTC minutes. The simulator counts the
#    tokens it served per minute (its own count, independent of the quota function): in every full
#    window, served <= budget x 1.01, and budget left unused while demand exceeded it <= 5 %.
# N. Noisy neighbour: one gateway, provider account `openai` limited to ACCOUNT_TPM (240,000) with
#    the simulator enforcing the same limit upstream; an interactive tenant streaming at
#    INTERACTIVE_RATE (10/s, max_tokens 64), alone for SOLO_SECONDS (30), then with a batch tenant
#    at BATCH_RATE (70/s) x BATCH_MAX_TOKENS (400), about 10x the tokens of its share (70 % of the
#    account), for CONTENDED_SECONDS (60) (Gatling, NoisyNeighbourSimulation).
#    Interactive success >= 99.9 %, its TTFT p95 contended within 10 % of solo, batch refused with
#    429 + Retry-After, no upstream 429, and how much of the account batch used.
# L. Under real latency (issue 15): GATEWAYS gateways, the simulator at TTFT ~300 ms, 20 ms between
#    tokens, 60 output tokens against max_tokens 256; LUSERS (12) closed-loop users per gateway
#    that honour retry-after-ms (load-tests/bench/quota_clients.py). A warm-up under an unlimited
#    tenant measures the demand D; then for LMINUTES (5) full windows, variant T: the tenant's budget
#    D/1.2 binds; variant P (PHASES containing P): the provider account binds (tenant budget 10 D,
#    account budget D/(1.2 x 0.7), of which the standard tier may use 70 %). Per window: served
#    (simulator) >= 97 % and <= 101 % of the binding budget, Jain's index of the gateways' service
#    >= 0.95; retries after exactly retry-after-ms admitted >= 90 %; no retry-after beyond the
#    window's end.
# Z. No spurious refusal: wrk at full speed through GATEWAYS gateways (no upstream latency) with a
#    tenant budget of 2.5x the most the clients can offer (each connection waits ZDELAY_MS, 100,
#    between requests), for ZSECONDS (170, crossing window boundaries):
#    0 refusals (target over >= 100,000 requests).
# Results: a Markdown summary on stdout and in target/bench/quota-<time>.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/target/bench"
mkdir -p "$OUT"
QUOTA=19181
SIM=19190
GW_BASE=19100
ADMIN_KEY=sk-spillway-admin-local-dev
SERVICE_KEY=sk-spillway-service-local-dev
GATEWAY_JAR="$ROOT/functions/gateway/target/quarkus-app/quarkus-run.jar"
QUOTA_JAR="$ROOT/functions/quota/target/quarkus-app/quarkus-run.jar"
SIM_JAR=$(ls "$ROOT"/load-tests/simulator/target/spillway-upstream-simulator-*-all.jar 2>/dev/null | head -1)
STAMP=$(date -u +%Y%m%d-%H%M%S)
RUN=$(date -u +%H%M%S)
REPORT="$OUT/quota-$STAMP.md"
PHASES=${PHASES:-AN}
GATEWAYS=${GATEWAYS:-4}
BUDGET=${BUDGET:-300000}
MINUTES=${MINUTES:-6}
ACCOUNT_TPM=${ACCOUNT_TPM:-240000}
INTERACTIVE_RATE=${INTERACTIVE_RATE:-10}
BATCH_RATE=${BATCH_RATE:-70}
BATCH_MAX_TOKENS=${BATCH_MAX_TOKENS:-400}
SOLO_SECONDS=${SOLO_SECONDS:-30}
CONTENDED_SECONDS=${CONTENDED_SECONDS:-60}

say() { printf '[quota-bench] %s\n' "$*" >&2; }
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
for jar in "$GATEWAY_JAR" "$QUOTA_JAR" "$SIM_JAR"; do
  [ -f "$jar" ] || { echo "build first (bin/spillway bench quota): missing $jar" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "wrk is missing: bin/spillway bench installs it" >&2; exit 1; }

wait_ready() { for _ in $(seq 1 900); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "not ready: $1" >&2; return 1; }
py() { python3 -c "$@"; }
admin() { # method path [json]
  local out
  out=$(curl -sS -X "$1" "http://127.0.0.1:$QUOTA$2" -H "Authorization: Bearer $ADMIN_KEY" \
    -H 'Content-Type: application/json' ${3:+-d "$3"} -w '\n%{http_code}')
  local code=${out##*$'\n'}
  [[ $code == 2* ]] || { echo "admin $1 $2 -> $code: ${out%$'\n'*}" >&2; exit 1; }
  printf '%s' "${out%$'\n'*}"
}
new_key() { # tenant feature tier -> plain key
  admin POST "/admin/tenants/$1/keys" "{\"feature\":\"$2\",\"tier\":\"$3\"}" | py 'import json,sys; print(json.load(sys.stdin)["key"])'
}
sim_stats() { curl -fsS "http://127.0.0.1:$SIM/admin/stats"; }

"$ROOT/bin/spillway" db start >&2

say "quota function on :$QUOTA"
QUOTA_PORT=$QUOTA java -Xmx256m -Dquarkus.profile=local -Dquarkus.log.level=WARN -jar "$QUOTA_JAR" >"$OUT/quota-quota.log" 2>&1 &
PIDS+=($!)
wait_ready "http://127.0.0.1:$QUOTA/q/health/ready"

GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-$(grep -v '^#' "$ROOT/functions/gateway/jvm.options" | tr '\n' ' ')}
GW_PROPS=(
  -Dquarkus.profile=local -Dquarkus.log.level=WARN
  "-Dgateway.quota.url=http://127.0.0.1:$QUOTA" "-Dgateway.quota.service-key=$SERVICE_KEY"
  "-Dgateway.providers.openai.base-url=http://127.0.0.1:$SIM/v1"
  "-Dgateway.providers.anthropic.base-url=http://127.0.0.1:$SIM"
  '-Dgateway.routes."bench".targets[0].provider=openai'
  '-Dgateway.routes."bench".targets[0].model=gpt-4o-mini'
  '-Dgateway.routes."bench".targets[0].input-usd-per-mtok=0.15'
  '-Dgateway.routes."bench".targets[0].output-usd-per-mtok=0.60'
)
GW_PIDS=()
start_gateways() { # count
  local i
  for ((i = 1; i <= $1; i++)); do
    GATEWAY_PORT=$((GW_BASE + i)) java $GATEWAY_JAVA_OPTS "${GW_PROPS[@]}" -jar "$GATEWAY_JAR" >"$OUT/quota-gateway-$i.log" 2>&1 &
    GW_PIDS+=($!)
    PIDS+=($!)
  done
  for ((i = 1; i <= $1; i++)); do wait_ready "http://127.0.0.1:$((GW_BASE + i))/q/health/ready"; done
}
stop_gateways() { for p in "${GW_PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; GW_PIDS=(); }
start_simulator() { # extra args
  java -jar "$SIM_JAR" --port $SIM --seed 7 "$@" >"$OUT/quota-sim.log" 2>&1 &
  SIM_PID=$!
  PIDS+=($SIM_PID)
  wait_ready "http://127.0.0.1:$SIM/health"
}
stop_simulator() { kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; }

{
  echo "# Quota benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores, $(java -version 2>&1 | head -1). Command: \`PHASES=$PHASES load-tests/bench/quota-bench.sh\`."
  echo
} >"$REPORT"

if [[ $PHASES == *A* ]]; then
  TENANT="acc-$RUN"
  say "A. accuracy: tenant $TENANT, tokens-per-minute budget $BUDGET, $GATEWAYS gateways x 64 connections, $MINUTES full minutes"
  admin POST /admin/tenants "{\"name\":\"$TENANT\"}" >/dev/null
  admin POST "/admin/tenants/$TENANT/features" '{"name":"load"}' >/dev/null
  admin PUT "/admin/tenants/$TENANT/budgets/tokens-per-minute" "{\"limit\":$BUDGET}" >/dev/null
  KEY=$(new_key "$TENANT" load standard)
  # No latency upstream: the gateways' own admission is what is measured. 40 completion tokens
  # against max_tokens 64, so every request reserves more than it uses and is refunded.
  start_simulator --ttft-ms 0 --itl-ms 0 --tokens 40
  # The tenant's budget must be the only limit in force: the route's provider counts against an
  # account of its own, with no budget (the `openai` account may carry the noisy-neighbour phase's
  # limit from an earlier run, which caps the standard tier at 70 % of 240,000 tokens/min).
  GW_PROPS_BASE=("${GW_PROPS[@]}")
  GW_PROPS+=("-Dgateway.providers.openai.account=accuracy-$RUN")
  start_gateways "$GATEWAYS"
  # Warm up first (JIT, connection pools, the first leases): production gateways are warm, and a
  # cold JVM starved of CPU by 256 connections can miss its first lease renewals and fall back to
  # its unreachable-quota policy, which is not what this phase measures.
  say "warm-up: 20 s at 8 connections per gateway"
  for ((i = 1; i <= GATEWAYS; i++)); do
    KEY=$KEY MODEL=bench MAX_TOKENS=64 wrk -t1 -c8 -d20s -s "$ROOT/load-tests/bench/quota.lua" \
      "http://127.0.0.1:$((GW_BASE + i))/v1/chat/completions" >/dev/null 2>&1 &
  done
  sleep 21
  # Start LEAD_S (30) before a minute boundary, so that the window before the first full one is
  # already saturated, as every window is in steady state. The simulator counts a request in the
  # minute it reaches the upstream, some milliseconds after the gateway admitted it: when a busy
  # window ends with budget left (a 3 s lead, say), the requests admitted in its last moments land
  # in the next minute's count, which then shows up to that much above the budget (measured: 7,208
  # tokens, 2.4 %) although each window's admissions stayed within its budget (the quota ledger's
  # column below shows the admission-time count).
  LEAD_S=${LEAD_S:-30}
  now=$(date +%s)
  wait_s=$(( 60 - now % 60 - LEAD_S ))
  (( wait_s < 0 )) && wait_s=$(( wait_s + 60 ))
  say "waiting ${wait_s}s to start ${LEAD_S}s before a minute boundary"
  sleep "$wait_s"
  START_MS=$(( $(date +%s%N) / 1000000 ))
  DURATION=$(( MINUTES * 60 + LEAD_S + 3 ))
  WRK_PIDS=()
  for ((i = 1; i <= GATEWAYS; i++)); do
    KEY=$KEY MODEL=bench MAX_TOKENS=64 wrk -t1 -c64 -d"${DURATION}s" -s "$ROOT/load-tests/bench/quota.lua" \
      "http://127.0.0.1:$((GW_BASE + i))/v1/chat/completions" >"$OUT/quota-wrk-$i.txt" 2>&1 &
    WRK_PIDS+=($!)
  done
  for p in "${WRK_PIDS[@]}"; do wait "$p"; done
  END_MS=$(( $(date +%s%N) / 1000000 ))
  sim_stats >"$OUT/quota-accuracy-sim.json"
  cat "$OUT"/quota-wrk-*.txt | grep '^RESULT' >"$OUT/quota-accuracy-wrk.txt" || true
  # The quota function's own ledger (admission-time use per window), beside the independent count.
  "$ROOT/bin/spillway" db psql -At -F' ' -c "select window_start, used from quota.budget_window where resource = 'tenant/$TENANT/tokens-per-minute'" >"$OUT/quota-accuracy-ledger.txt"
  py "
import json
stats = json.load(open('$OUT/quota-accuracy-sim.json'))
budget = $BUDGET
start, end = $START_MS, $END_MS
rows = []
for minute, tokens in sorted(stats['tokensByMinute'].items(), key=lambda kv: int(kv[0])):
    m = int(minute)
    full = m >= start and m + 60000 <= end
    rows.append((m, tokens, full))
wrk = [dict(kv.split('=') for kv in line.split()[1:]) for line in open('$OUT/quota-accuracy-wrk.txt')]
ok = sum(int(w['ok']) for w in wrk); limited = sum(int(w['limited']) for w in wrk); other = sum(int(w['other']) for w in wrk)
secs = (end - start) / 1000
print('## A. Accuracy: %d gateways x 64 connections, one tenant, budget %d tokens/min' % ($GATEWAYS, budget))
print()
print('Offered: %.0f requests/s (%d answered 200, %d refused 429, %d other); served tokens per UTC minute as the upstream simulator counted them:' % ((ok + limited + other) / secs, ok, limited, other))
print()
ledger = {}
for line in open('$OUT/quota-accuracy-ledger.txt'):
    parts = line.split()
    if len(parts) == 2 and parts[0].isdigit():
        ledger[int(parts[0])] = int(parts[1])
print('| Window (UTC) | Tokens served (simulator) | / budget | Unused | Quota ledger | Full window |')
print('|---|---|---|---|---|---|')
import datetime
worst_over = 0.0; worst_unused = 0.0; full_windows = 0
for m, tokens, full in rows:
    ratio = tokens / budget
    unused = max(0.0, 1 - ratio)
    if full:
        full_windows += 1
        worst_over = max(worst_over, ratio)
        worst_unused = max(worst_unused, unused)
    print('| %s | %d | %.4f | %.2f %% | %s | %s |' % (datetime.datetime.utcfromtimestamp(m / 1000).strftime('%H:%M'), tokens, ratio, unused * 100, ledger.get(m, '-'), 'yes' if full else 'partial'))
print()
print('Full windows: %d. Worst admitted/budget: **%.4f** (target <= 1.01). Worst unused while refused requests show demand above the budget: **%.2f %%** (target <= 5 %%).' % (full_windows, worst_over, worst_unused * 100))
print()
" | tee -a "$REPORT"
  UNREACHABLE=$(cat "$OUT"/quota-gateway-*.log | grep -c "quota function unreachable" || true)
  echo "Gateway log lines reporting the quota function unreachable (fail-open/closed in force): $UNREACHABLE." | tee -a "$REPORT"
  echo | tee -a "$REPORT"
  stop_gateways
  stop_simulator
  GW_PROPS=("${GW_PROPS_BASE[@]}")
fi

latency_run() { # variant tenant key budget-note expected-ceiling seconds
  local variant=$1 tenant=$2 key=$3 note=$4 ceiling=$5 seconds=$6
  local urls="" i
  for ((i = 1; i <= GATEWAYS; i++)); do urls+="${urls:+,}http://127.0.0.1:$((GW_BASE + i))"; done
  curl -fsS -X POST "http://127.0.0.1:$SIM/admin/reset" >/dev/null
  local start_ms=$(( $(date +%s%N) / 1000000 ))
  python3 "$ROOT/load-tests/bench/quota_clients.py" --gateways "$urls" --users "$LUSERS" \
    --window-ms "${WINDOW_MS:-60000}" --seconds "$seconds" --key "$key" --model bench --max-tokens 256 --out "$OUT/quota-latency-$variant.json"
  local end_ms=$(( $(date +%s%N) / 1000000 ))
  sim_stats >"$OUT/quota-latency-$variant-sim.json"
  NOTE="$note" py "
import json, os
c = json.load(open('$OUT/quota-latency-$variant.json'))
sim = json.load(open('$OUT/quota-latency-$variant-sim.json'))
ceiling = $ceiling
start, end = $start_ms, $end_ms
print('### Variant $variant: ' + os.environ['NOTE'])
print()
print('| Window (UTC) | Served tokens (simulator) | / binding budget | Jain index (tokens per gateway) | Full |')
print('|---|---|---|---|---|')
import datetime
per = {}
for k, v in c['tokens'].items():
    g, m = k.split('@'); per.setdefault(int(m), {})[int(g)] = v
worst_low, worst_high, worst_jain, full_n = 9.9, 0.0, 1.0, 0
for minute, tokens in sorted(sim['tokensByMinute'].items(), key=lambda kv: int(kv[0])):
    m = int(minute); full = m >= start and m + 60000 <= end
    shares = [per.get(m, {}).get(g, 0) for g in range(c['gateways'])]
    jain = (sum(shares) ** 2) / (len(shares) * sum(x * x for x in shares)) if any(shares) else 0
    ratio = tokens / ceiling
    if full:
        full_n += 1; worst_low = min(worst_low, ratio); worst_high = max(worst_high, ratio); worst_jain = min(worst_jain, jain)
    print('| %s | %d | %.4f | %.3f | %s |' % (datetime.datetime.utcfromtimestamp(m / 1000).strftime('%H:%M'), tokens, ratio, jain, 'yes' if full else 'partial'))
ra = c['retry_after_ms']
admitted = c['retries_admitted'] / c['retries'] if c['retries'] else 1.0
print()
print('Full windows: %d. Served / binding budget: worst low **%.4f** (target >= 0.97), worst high **%.4f** (target <= 1.01); worst Jain index **%.3f** (target >= 0.95).' % (full_n, worst_low, worst_high, worst_jain))
print('Answers %d, refusals %d, other %s, transport errors %d. Retries after exactly retry-after-ms: %d, admitted **%.1f %%** (target >= 90 %%). retry-after-ms median %s, max %s; beyond the refusing window end: **%d** (target 0).' % (c['ok'], c['refused'], c['other'], c['errors'], c['retries'], 100 * admitted, ra[len(ra)//2] if ra else '-', ra[-1] if ra else '-', len(c['beyond_window'])))
print()
" | tee -a "$REPORT"
}

if [[ $PHASES == *L* || $PHASES == *P* ]]; then
  LUSERS=${LUSERS:-12}
  LMINUTES=${LMINUTES:-5}
  say "L. under real latency: $GATEWAYS gateways x $LUSERS users honouring retry-after-ms"
  start_simulator --ttft-ms 300 --ttft-jitter 0.3 --itl-ms 20 --tokens 60
  GW_PROPS_BASE=("${GW_PROPS[@]}")
  ACCT="lat-$RUN"
  ACCOUNT_WINDOW_MS=10000 # quota.account-window (10 s): the window an account refusal names
  (admin POST /admin/accounts "{\"name\":\"$ACCT\"}") >/dev/null
  GW_PROPS+=("-Dgateway.providers.openai.account=$ACCT")
  start_gateways "$GATEWAYS"
  WARM="lat-warm-$RUN"
  admin POST /admin/tenants "{\"name\":\"$WARM\"}" >/dev/null
  admin POST "/admin/tenants/$WARM/features" '{"name":"load"}' >/dev/null
  WARM_KEY=$(new_key "$WARM" load standard)
  say "warm-up: 30 s without a binding budget, to measure the demand"
  URLS=""; for ((i = 1; i <= GATEWAYS; i++)); do URLS+="${URLS:+,}http://127.0.0.1:$((GW_BASE + i))"; done
  python3 "$ROOT/load-tests/bench/quota_clients.py" --gateways "$URLS" --users "$LUSERS" --seconds 30 \
    --key "$WARM_KEY" --model bench --max-tokens 256 --out "$OUT/quota-latency-warmup.json"
  DEMAND=$(py "import json; c=json.load(open('$OUT/quota-latency-warmup.json')); print(int(sum(c['tokens'].values()) * 60 / 30))")
  say "demand: $DEMAND tokens/min"
  {
    echo "## L. Under real latency: $GATEWAYS gateways x $LUSERS users honouring retry-after-ms"
    echo
    echo "Simulator: TTFT 300 ms (lognormal sigma 0.3), 20 ms between tokens, 60 output tokens against max_tokens 256 (each request reserves about 4x what it uses and is refunded). Demand without a binding budget (30 s warm-up): **$DEMAND tokens/min**."
    echo
  } | tee -a "$REPORT"
  LSECONDS=$(( (LMINUTES + 1) * 60 - $(date +%s) % 60 + 2 ))
  if [[ $PHASES == *L* ]]; then
    T="lat-t-$RUN"; TB=$(( DEMAND * 10 / 12 ))
    admin POST /admin/tenants "{\"name\":\"$T\"}" >/dev/null
    admin POST "/admin/tenants/$T/features" '{"name":"load"}' >/dev/null
    admin PUT "/admin/tenants/$T/budgets/tokens-per-minute" "{\"limit\":$TB}" >/dev/null
    latency_run T "$T" "$(new_key "$T" load standard)" "the tenant budget binds ($TB tokens/min, offered 1.2x)" "$TB" "$LSECONDS"
  fi
  if [[ $PHASES == *P* ]]; then
    T="lat-p-$RUN"; AB=$(( DEMAND * 100 / 84 )); CEIL=$(( AB * 7 / 10 ))
    admin POST /admin/tenants "{\"name\":\"$T\"}" >/dev/null
    admin POST "/admin/tenants/$T/features" '{"name":"load"}' >/dev/null
    admin PUT "/admin/tenants/$T/budgets/tokens-per-minute" "{\"limit\":$(( DEMAND * 10 ))}" >/dev/null
    admin PUT "/admin/accounts/$ACCT/budgets/tokens-per-minute" "{\"limit\":$AB}" >/dev/null
    LSECONDS=$(( (LMINUTES + 1) * 60 - $(date +%s) % 60 + 2 ))
    WINDOW_MS=$ACCOUNT_WINDOW_MS latency_run P "$T" "$(new_key "$T" load standard)" "the provider account binds ($AB tokens/min; the standard tier's 70 % is $CEIL, offered 1.2x)" "$CEIL" "$LSECONDS"
  fi
  stop_gateways
  stop_simulator
  GW_PROPS=("${GW_PROPS_BASE[@]}")
fi

if [[ $PHASES == *Z* ]]; then
  ZSECONDS=${ZSECONDS:-170}
  say "Z. no spurious refusal: wrk through $GATEWAYS gateways, at most 40 % of the budget"
  start_simulator --ttft-ms 0 --itl-ms 0 --tokens 40
  GW_PROPS_BASE=("${GW_PROPS[@]}")
  GW_PROPS+=("-Dgateway.providers.openai.account=spurious-$RUN")
  start_gateways "$GATEWAYS"
  # Each connection sends at most one request per ZDELAY_MS (100): at most 64 x 10 = 640 requests/s,
  # each reserving prompt + max_tokens 64 (about 80 tokens). The budget is 2.5x that ceiling, so
  # use stays at or below 40 % of it whatever the gateways' speed, and every 429 is spurious.
  ZDELAY_MS=${ZDELAY_MS:-100}
  ZB=$(( GATEWAYS * 16 * 1000 / ZDELAY_MS * 80 * 60 * 5 / 2 ))
  Z="spur-$RUN"
  admin POST /admin/tenants "{\"name\":\"$Z\"}" >/dev/null
  admin POST "/admin/tenants/$Z/features" '{"name":"load"}' >/dev/null
  admin PUT "/admin/tenants/$Z/budgets/tokens-per-minute" "{\"limit\":$ZB}" >/dev/null
  ZKEY=$(new_key "$Z" load standard)
  curl -fsS -X POST "http://127.0.0.1:$SIM/admin/reset" >/dev/null
  WRK_PIDS=()
  for ((i = 1; i <= GATEWAYS; i++)); do
    KEY=$ZKEY MODEL=bench MAX_TOKENS=64 DELAY_MS=$ZDELAY_MS wrk -t1 -c16 -d"${ZSECONDS}s" -s "$ROOT/load-tests/bench/quota.lua" \
      "http://127.0.0.1:$((GW_BASE + i))/v1/chat/completions" >"$OUT/quota-spurious-wrk-$i.txt" 2>&1 &
    WRK_PIDS+=($!)
  done
  for p in "${WRK_PIDS[@]}"; do wait "$p"; done
  cat "$OUT"/quota-spurious-wrk-*.txt | grep '^RESULT' >"$OUT/quota-spurious-wrk.txt" || true
  sim_stats >"$OUT/quota-spurious-sim.json"
  py "
import json
wrk = [dict(kv.split('=') for kv in line.split()[1:]) for line in open('$OUT/quota-spurious-wrk.txt')]
ok = sum(int(w['ok']) for w in wrk); limited = sum(int(w['limited']) for w in wrk); other = sum(int(w['other']) for w in wrk)
sim = json.load(open('$OUT/quota-spurious-sim.json'))
peak = max(sim['tokensByMinute'].values()) if sim['tokensByMinute'] else 0
print('## Z. No spurious refusal: $GATEWAYS gateways x 16 wrk connections for $ZSECONDS s, budget $ZB tokens/min (2.5x the most the clients can offer: 16 connections per gateway, one request per $ZDELAY_MS ms each)')
print()
print('Requests answered 200: %d; refused 429: **%d** (target 0); other: %d. Busiest minute at the simulator: %d tokens, %.1f %% of the budget.' % (ok, limited, other, peak, 100.0 * peak / $ZB))
print()
" | tee -a "$REPORT"
  stop_gateways
  stop_simulator
  GW_PROPS=("${GW_PROPS_BASE[@]}")
fi

if [[ $PHASES == *N* ]]; then
  INT="nn-int-$RUN"
  BAT="nn-batch-$RUN"
  say "N. noisy neighbour: account openai at $ACCOUNT_TPM tokens/min; $INT interactive at $INTERACTIVE_RATE/s, $BAT batch at $BATCH_RATE/s"
  for t in "$INT" "$BAT"; do
    admin POST /admin/tenants "{\"name\":\"$t\"}" >/dev/null
    admin POST "/admin/tenants/$t/features" '{"name":"load"}' >/dev/null
  done
  # The account may exist from an earlier run (409): that is fine.
  (admin POST /admin/accounts '{"name":"openai"}') >/dev/null 2>&1 || true
  admin PUT /admin/accounts/openai/budgets/tokens-per-minute "{\"limit\":$ACCOUNT_TPM}" >/dev/null
  INT_KEY=$(new_key "$INT" load interactive)
  BAT_KEY=$(new_key "$BAT" load batch)
  # Realistic latency for TTFT; the simulator enforces the account's limit upstream too.
  start_simulator --ttft-ms 20 --itl-ms 2 --tokens 400 --tpm "$ACCOUNT_TPM"
  start_gateways 1
  GW="http://127.0.0.1:$((GW_BASE + 1))"
  say "warm-up: 10 s of interactive streams"
  (cd "$ROOT" && mvn -B -q -o -pl load-tests/gatling gatling:test \
    -Dgatling.simulationClass=dev.spillway.loadtest.StreamingChatSimulation -DbaseUrl="$GW" -DapiKey="$INT_KEY" \
    -Dmodel=bench -Dusers=2 -DrampSeconds=0 -DdurationSeconds=10 -DmaxTokens=64 -DmaxErrorPercent=100 -DmaxTtftP95Ms=60000) >"$OUT/quota-nn-warmup.log" 2>&1 || true
  curl -fsS -X POST "http://127.0.0.1:$SIM/admin/reset" >/dev/null
  set +e
  (cd "$ROOT" && mvn -B -o -pl load-tests/gatling gatling:test \
    -Dgatling.simulationClass=dev.spillway.loadtest.NoisyNeighbourSimulation -DbaseUrl="$GW" \
    -DinteractiveKey="$INT_KEY" -DbatchKey="$BAT_KEY" -Dmodel=bench -DmaxTokens=64 \
    -DinteractiveRate="$INTERACTIVE_RATE" -DbatchRate="$BATCH_RATE" -DbatchMaxTokens="$BATCH_MAX_TOKENS" \
    -DsoloSeconds="$SOLO_SECONDS" -DcontendedSeconds="$CONTENDED_SECONDS" -DmaxErrorPercent=0) >"$OUT/quota-nn-gatling.log" 2>&1
  GATLING_RC=$?
  set -e
  sim_stats >"$OUT/quota-nn-sim.json"
  curl -fsS "$GW/q/metrics" >"$OUT/quota-nn-metrics.txt"
  REPORT_DIR=$(ls -td "$ROOT"/load-tests/gatling/target/gatling/noisyneighboursimulation-*/ | head -1)
  py "
import glob, json, re
# Gatling 3.14 writes its statistics into the report's HTML pages, one page per group/request.
groups = {}
for page in glob.glob('${REPORT_DIR}*.html'):
    html = open(page).read()
    title = re.search(r'<title>Gatling Stats - (.*?)</title>', html)
    if not title:
        continue
    rows = {}
    for row in re.finditer(r'<td class=\"title\">(.*?)</td>\s*<td class=\"total\">(.*?)</td>\s*<td class=\"ok\">(.*?)</td>\s*<td class=\"ko\">(.*?)</td>', html):
        rows[row.group(1)] = (row.group(2), row.group(3), row.group(4))
    groups[title.group(1)] = rows
def number(text):
    return 0 if text in ('-', '') else float(text)
def p95(name): return number(groups[name]['95th percentile'][1])
def counts(name):
    total, ok, ko = groups[name]['Total count']
    return int(number(ok)), int(number(ko))
solo, contended = p95('solo ttft'), p95('contended ttft')
so, sk = counts('solo ttft'); co, ck = counts('contended ttft')
bo, bk = counts('batch')
sim = json.load(open('$OUT/quota-nn-sim.json'))
metrics = open('$OUT/quota-nn-metrics.txt').read()
def metric_sum(pattern):
    return sum(float(l.rsplit(' ', 1)[1]) for l in metrics.splitlines() if not l.startswith('#') and re.search(pattern, l))
skipped = metric_sum(r'^spillway_quota_admissions_total\{.*decision=\"skipped-target\"')
minutes = {int(k): v for k, v in sim['tokensByMinute'].items()}
served = sum(minutes.values())
secs = $SOLO_SECONDS + $CONTENDED_SECONDS
print('## N. Noisy neighbour: account openai at $ACCOUNT_TPM tokens/min, interactive $INTERACTIVE_RATE streams/s, batch $BATCH_RATE req/s x max_tokens $BATCH_MAX_TOKENS')
print()
print('| Measure | Solo (interactive alone) | Contended (with batch) | Target |')
print('|---|---|---|---|')
print('| Interactive TTFT p95 (successful streams) | %d ms | %d ms (%.1f %% of solo) | within 10 %% |' % (solo, contended, 100.0 * contended / max(solo, 1)))
print('| Interactive success | %.3f %% (%d/%d) | %.3f %% (%d/%d) | >= 99.9 %% |' % (100.0 * so / max(so + sk, 1), so, so + sk, 100.0 * co / max(co + ck, 1), co, co + ck))
print()
print('Batch: %d requests answered 200 or 429 with Retry-After, %d failed (anything else, or a 429 without Retry-After); targets skipped for provider-account quota (no upstream call): %d.' % (bo, bk, skipped))
print('Upstream: the simulator refused %d requests for its own tokens-per-minute limit (target 0); it served %d tokens over the run, %.0f tokens/s against the account limit of %.0f tokens/s.' % (sim['rateLimited'], served, served / secs, $ACCOUNT_TPM / 60.0))
print('Gatling exit status: $GATLING_RC. Gatling report: ${REPORT_DIR#$ROOT/}.')
print()
" | tee -a "$REPORT"
  stop_gateways
  stop_simulator
fi

say "report: ${REPORT#"$ROOT"/}"
