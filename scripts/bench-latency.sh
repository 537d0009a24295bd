#!/usr/bin/env bash
# Latency as on a live node: HEAN trading against the fake Bybit on loopback (REST + WebSocket, a synthetic market at
# wall-clock pace) with the SQLite journal, for DURATION seconds, RUNS times. From each run's /metrics it reports
# hean_latency_seconds per stage: samples, the share within the target (tick_to_signal 100 µs, signal_to_order 5 ms:
# both are bucket bounds, so the share is exact) and p50/p99 interpolated within buckets, twice: over the whole run
# ("all"), and over what came after the process's first order was on the wire and WARMUP seconds had passed ("warm";
# /metrics is read then and subtracted), since the first signal, order and acknowledgement of a process pay for compiling
# their code (JIT) and the node's start-up (reconciliation, journals read) runs beside the first orders. Then the warm
# samples of every run together ("all warm"): a run has a few dozen orders a minute, so a run's p99 is about its slowest
# sample, and only the pooled one is a percentile; and the collections of each warm part.
#   scripts/bench-latency.sh            (after: dotnet build Hean.Akka.sln -c Release)
#   RUNS=3 DURATION=300 CANDLE_INTERVAL=1s PACE=10 EMA_FAST=2 EMA_SLOW=5 WARMUP=20 KELLY_MIN_TRADES=1000000 (the defaults)
# KELLY_MIN_TRADES that high keeps Kelly out of the sizing for the whole run: on the fake's random market the strategy's
# edge after fees is negative, and once Kelly has its sample it sizes every order at zero (about 60 orders into a run,
# whatever its length), which left the later signals without an order to time.
# PACE plays the fake's synthetic market that many times faster (events a second, price moves), stamped with the wall
# clock: at 10, about 280 market events a second over two symbols and 20-25 orders a minute (quick EMA periods, 2 / 5
# candles by default here; a faster pace does not make more of them).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
DURATION=${DURATION:-300}
CANDLE=${CANDLE_INTERVAL:-1s}
PACE=${PACE:-10}
EMA_FAST=${EMA_FAST:-2}
EMA_SLOW=${EMA_SLOW:-5}
WARMUP=${WARMUP:-20}
KELLY_MIN=${KELLY_MIN_TRADES:-1000000}
HEAN_DLL=src/Hean.Host/bin/Release/net10.0/hean.dll
FAKE_DLL=tests/Hean.FakeBybit/bin/Release/net10.0/Hean.FakeBybit.dll
for f in "$HEAN_DLL" "$FAKE_DLL"; do [ -f "$f" ] || { echo "error: $f is missing: dotnet build Hean.Akka.sln -c Release" >&2; exit 2; }; done
WORK=$(mktemp -d)
pids=()
stop() { kill "$1" 2>/dev/null || return 0; for _ in $(seq 1 25); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done; kill -9 "$1" 2>/dev/null || true; }
cleanup() { for p in "${pids[@]}"; do stop "$p"; done; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Prometheus text → per stage: samples, share within target, p50, p99 (linear within the bucket).
summarize() {
  awk -v run="$1" '
    /^hean_latency_seconds_bucket\{/ {
      match($0, /stage="[a-z_]+"/); stage = substr($0, RSTART + 7, RLENGTH - 8)
      match($0, /le="[^"]+"/); le = substr($0, RSTART + 4, RLENGTH - 5)
      n[stage]++; bound[stage, n[stage]] = (le == "+Inf") ? 1e9 : le + 0; cum[stage, n[stage]] = $NF + 0
    }
    function q(stage, phi,   total, target, i, lo, prev) {
      total = cum[stage, n[stage]]; target = phi * total; prev = 0; lo = 0
      for (i = 1; i <= n[stage]; i++) {
        if (cum[stage, i] >= target) {
          if (bound[stage, i] >= 1e9) return lo
          return lo + (bound[stage, i] - lo) * (cum[stage, i] == prev ? 0 : (target - prev) / (cum[stage, i] - prev))
        }
        lo = bound[stage, i]; prev = cum[stage, i]
      }
    }
    function within(stage, limit,   i) { for (i = 1; i <= n[stage]; i++) if (bound[stage, i] == limit) return cum[stage, i] / cum[stage, n[stage]]; return -1 }
    END {
      split("tick_to_signal:0.0001 signal_to_order:0.005 order_to_ack:0", stages, " ")
      for (k = 1; k <= 3; k++) {
        split(stages[k], parts, ":"); s = parts[1]; limit = parts[2] + 0; total = cum[s, n[s]]
        if (total == 0) { printf "run %s  %-16s no samples\n", run, s; continue }
        share = (limit > 0) ? sprintf("%.1f%% within %g ms", 100 * within(s, limit), limit * 1000) : "(no target)"
        printf "run %s  %-16s %6d samples  p50 %8.3f ms  p99 %8.3f ms  %s\n", run, s, total, 1000 * q(s, 0.5), 1000 * q(s, 0.99), share
      }
    }'
}

echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "HEAN against the fake Bybit on loopback, SQLite journal, CANDLE_INTERVAL=$CANDLE, EMA $EMA_FAST / $EMA_SLOW, KELLY_MIN_TRADES=$KELLY_MIN, market pace $PACE, $DURATION s per run, $RUNS runs"
for run in $(seq 1 "$RUNS"); do
  port=$(free_port)
  dotnet "$FAKE_DLL" --port "$port" --seed "$run" --pace "$PACE" > "$WORK/fake-$run.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do grep -q "fake Bybit: REST" "$WORK/fake-$run.log" && break; sleep 0.2; done
  key=$(sed -nE 's/^credentials: key (\S+)  secret (\S+)$/\1/p' "$WORK/fake-$run.log")
  secret=$(sed -nE 's/^credentials: key (\S+)  secret (\S+)$/\2/p' "$WORK/fake-$run.log")
  EXCHANGE=bybit BYBIT_REST_URL="http://127.0.0.1:$port" BYBIT_WS_PUBLIC_URL="ws://127.0.0.1:$port/v5/public/linear" \
    BYBIT_WS_PRIVATE_URL="ws://127.0.0.1:$port/v5/private" BYBIT_API_KEY="$key" BYBIT_API_SECRET="$secret" \
    HEAN_DATA_DIR="$WORK/hean-$run" CANDLE_INTERVAL="$CANDLE" EMA_FAST="$EMA_FAST" EMA_SLOW="$EMA_SLOW" KELLY_MIN_TRADES="$KELLY_MIN" LOG_LEVEL=WARNING HEAN_API_AUTH=off \
    dotnet "$HEAN_DLL" run --http-port 0 --duration "${DURATION}s" > "$WORK/hean-$run.log" 2>&1 &
  hean=$!
  pids+=("$hean")
  url=""
  for _ in $(seq 1 300); do url=$(sed -nE 's/^health (http:\/\/127\.0\.0\.1:[0-9]+)\/health.*/\1/p' "$WORK/hean-$run.log"); [ -n "$url" ] && break; sleep 0.2; done
  [ -n "$url" ] || { cat "$WORK/hean-$run.log" >&2; exit 1; }
  started=$SECONDS
  # Warm: once the first order is on the wire (its signal_to_order observed) and WARMUP seconds have gone by (the node's
  # start: reconciliation, instruments reading their journals, first compilations), the rest is measured on compiled code.
  : > "$WORK/warm-$run.txt"
  while [ $((SECONDS - started)) -lt $((DURATION - 5)) ]; do
    curl -s "$url/metrics" > "$WORK/probe-$run.txt" || true
    if [ $((SECONDS - started)) -ge "$WARMUP" ] && grep -qE '^hean_latency_seconds_count\{stage="signal_to_order"\} [1-9]' "$WORK/probe-$run.txt"; then
      mv "$WORK/probe-$run.txt" "$WORK/warm-$run.txt"; break
    fi
    sleep 1
  done
  sleep "$((DURATION - 3 - (SECONDS - started) > 0 ? DURATION - 3 - (SECONDS - started) : 0))"
  curl -s "$url/metrics" > "$WORK/metrics-$run.txt"
  wait "$hean" || { echo "hean run $run failed:" >&2; tail -20 "$WORK/hean-$run.log" >&2; exit 1; }
  stop "${pids[-2]}"
  summarize "$run all " < "$WORK/metrics-$run.txt"
  # The buckets after the first order: the end's counts minus those read then.
  [ -s "$WORK/warm-$run.txt" ] || { echo "run $run warm  no order went on the wire: no warm figures"; continue; }
  awk 'NR == FNR { if (/^hean_latency_seconds_bucket\{/) before[$1] = $NF; next }
       /^hean_latency_seconds_bucket\{/ { print $1, $NF - (($1 in before) ? before[$1] : 0) }' "$WORK/warm-$run.txt" "$WORK/metrics-$run.txt" \
    | tee -a "$WORK/warm-deltas.txt" | summarize "$run warm"
  # What the collector did meanwhile (a blocking collection is one suspect for a slow sample).
  awk 'NR == FNR { if (/^dotnet_collection_count_total\{/) before[$1] = $NF; next }
       /^dotnet_collection_count_total\{/ { match($1, /generation="[0-9]"/); g[substr($1, RSTART + 12, 1)] = $NF - (($1 in before) ? before[$1] : 0) }
       END { printf "run %s warm  collections: gen0 %d, gen1 %d, gen2 %d\n", run, g[0], g[1], g[2] }' run="$run" \
    "$WORK/warm-$run.txt" "$WORK/metrics-$run.txt"
done
# Every run's warm samples together: with a few dozen orders a run, a run's p99 is its slowest sample; pooled, it is a p99.
if [ -s "$WORK/warm-deltas.txt" ]; then
  awk '{ sum[$1] += $2; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } } END { for (i = 1; i <= n; i++) print order[i], sum[order[i]] }' \
    "$WORK/warm-deltas.txt" | summarize "all warm"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
