#!/usr/bin/env bash
# Backtest speed as a user sees it: wall time of whole `hean` processes, min and median of RUNS runs each, side by side on
# one file: `hean data inspect` (reading the file is the reference), `hean backtest` in the kernel, and in the actors
# (ACTOR_RUNS runs, none with ACTOR_RUNS=0). Prints the machine's load before and after and the ratio kernel / inspect.
#   scripts/bench-backtest.sh [FILE] [SYMBOL]      (default: the shared FTX BTC-PERP 1m month, BTCUSDT)
#   RUNS=5 ACTOR_RUNS=2 HEAN="dotnet src/Hean.Host/bin/Release/net10.0/hean.dll" (after dotnet build -c Release)
set -euo pipefail
cd "$(dirname "$0")/.."
FILE=${1:-../shared/data/ohlcv/ftx_BTC-PERP_1m_2021-12-31_2022-02-01.csv.gz}
SYMBOL=${2:-BTCUSDT}
RUNS=${RUNS:-5}
ACTOR_RUNS=${ACTOR_RUNS:-2}
HEAN=${HEAN:-dotnet src/Hean.Host/bin/Release/net10.0/hean.dll}
[ -f "$FILE" ] || { echo "error: $FILE is missing (the shared data is not on this machine)" >&2; exit 2; }
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT

seconds() { # runs the command, prints its wall time in seconds
  local start end; start=$(date +%s.%N)
  HEAN_DATA_DIR="$WORK/.hean" "$@" > "$WORK/out" 2>&1 || { cat "$WORK/out" >&2; exit 1; }
  end=$(date +%s.%N); awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f\n", b - a}'
}
stats() { # min and median of the numbers on stdin
  sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "min %.3f s, median %.3f s (%d runs)", a[1], m, NR}'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }

echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file: $FILE ($SYMBOL)"
$HEAN data inspect "$FILE" > /dev/null 2>&1 || true   # warm the disk cache and the runtime's files
inspect=(); kernel=(); actors=()
for _ in $(seq "$RUNS"); do
  inspect+=("$(seconds $HEAN data inspect "$FILE")")
  kernel+=("$(seconds $HEAN backtest --data "$FILE" --symbol "$SYMBOL" --engine kernel)")
done
grep -E "fingerprint" "$WORK/out" | sed 's/^/kernel /'
if [ "$ACTOR_RUNS" -gt 0 ]; then
  for _ in $(seq "$ACTOR_RUNS"); do actors+=("$(seconds $HEAN backtest --data "$FILE" --symbol "$SYMBOL" --engine actors)"); done
  grep -E "fingerprint" "$WORK/out" | sed 's/^/actors /'
fi
echo "hean data inspect:          $(printf '%s\n' "${inspect[@]}" | stats)"
echo "hean backtest (kernel):     $(printf '%s\n' "${kernel[@]}" | stats)"
[ "$ACTOR_RUNS" -gt 0 ] && echo "hean backtest (actors):     $(printf '%s\n' "${actors[@]}" | stats)"
echo "kernel / inspect (medians): $(awk -v k="$(printf '%s\n' "${kernel[@]}" | median)" -v i="$(printf '%s\n' "${inspect[@]}" | median)" 'BEGIN {printf "%.2f", k / i}')"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
