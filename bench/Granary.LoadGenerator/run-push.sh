#!/usr/bin/env bash
# Single-row pushes against single-entity reads over HTTP, in the same run (docs/BENCHMARKS.md, "Single-row pushes
# against reads"):
#
#   bench/Granary.LoadGenerator/run-push.sh        # ROUNDS=3, DURATION=10 (seconds per measurement), WARMUP=3
#
# Builds bench/Granary.LoadGenerator (Release) unless LOADGEN=path names a published one; writes the repository of
# bench/Granary.Benchmarks/Online/PushVersusReadBenchmark.cs (one view of 2 features over a push source, embedded
# store, 10,000 users pushed) to bench/.data/push/repo, afresh; starts Granary's server over it (what `granary serve`
# hosts) in a process of its own; then, ROUNDS times, CONNECTIONS (32) closed-loop connections of single-entity reads
# (POST /get-online-features) and then of single-row pushes (POST /push, each connection upserting its own 100 users
# with rising event times, new users every round); kills the server with SIGKILL and reads every acknowledged push
# back from the file through a fresh store. Results: bench/.data/push/results.txt and a summary on stdout.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$ROOT/bench/.data/push"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-3}"
ROUNDS="${ROUNDS:-3}"
CONNECTIONS="${CONNECTIONS:-32}"
USERS=100
LG=(dotnet "$ROOT/bench/Granary.LoadGenerator/bin/Release/net10.0/Granary.LoadGenerator.dll")
if [[ -n "${LOADGEN:-}" ]]; then
  LG=("$LOADGEN")
else
  dotnet build -c Release "$ROOT/bench/Granary.LoadGenerator" 2>&1 | grep -E " error |Elapsed" || true
fi

mkdir -p "$OUT"
RESULTS="$OUT/results.txt"
ACKS="$OUT/acks.txt"
: > "$RESULTS"
: > "$ACKS"
SERVER=""
cleanup() {
  [[ -n "$SERVER" ]] && kill -KILL "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"${LG[@]}" prepare-push --repo "$OUT/repo"
: > "$OUT/server.log"
"${LG[@]}" serve --repo "$OUT/repo" > "$OUT/server.log" 2>&1 &
SERVER="$!"
for _ in $(seq 600); do
  grep -q '^READY' "$OUT/server.log" && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$OUT/server.log" >&2; exit 1; }
  sleep 0.1
done
URL="$(sed -n 's/^HTTP //p' "$OUT/server.log")"
REFS="$("${LG[@]}" push-refs)"
echo "server: $URL; $(date -u '+%Y-%m-%d %H:%M UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg)"

for round in $(seq "$ROUNDS"); do
  "${LG[@]}" http --url "$URL" --rate 0 --connections "$CONNECTIONS" --refs "$REFS" --ids 10000 \
    --duration "$DURATION" --warmup "$WARMUP" --label "reads 1x2, round $round" --append "$RESULTS"
  "${LG[@]}" push --url "$URL" --connections "$CONNECTIONS" --users "$USERS" \
    --first-user $((10000 + (round - 1) * CONNECTIONS * USERS)) --acks "$ACKS" \
    --duration "$DURATION" --warmup "$WARMUP" --label "pushes 1 row, round $round" --append "$RESULTS"
done

# Killed, not stopped: the store gets no chance to write anything more than what it acknowledged.
kill -KILL "$SERVER"
wait "$SERVER" 2>/dev/null || true
SERVER=""
VERIFY="$("${LG[@]}" verify-push --repo "$OUT/repo" --acks "$ACKS")" || { echo "$VERIFY"; exit 1; }

rate() { sed -n "s/^$1.* in flight, \([0-9]*\)\/s.*/\1/p" "$RESULTS"; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
READS="$(rate reads | median)"
PUSHES="$(rate pushes | median)"
echo
echo "reads/s by round:  $(rate reads | tr '\n' ' ')"
echo "pushes/s by round: $(rate pushes | tr '\n' ' ')"
echo "medians: reads $READS/s, pushes $PUSHES/s, pushes / reads $(awk -v p="$PUSHES" -v r="$READS" 'BEGIN { printf "%.1f %%", 100 * p / r }')"
echo "$VERIFY"
