#!/usr/bin/env bash
# The feature server load benchmark (docs/BENCHMARKS.md, "Feature server"). One command, about 10 minutes:
#
#   bench/Granary.Benchmarks/Server/run-load.sh            # DURATION=20 (seconds per measurement), WARMUP=3
#
# Needs wrk and redis-server (Debian: apt-get install -y wrk redis-server). LOADGEN=path runs a published load
# generator (dotnet publish -r linux-x64 --self-contained) instead of building one, for machines without the SDK.
# ROUNDS=N (odd, default 3) sets how many times trivial and Granary 1x10 alternate; HEADLINE=1 measures only those
# two figures (no Redis, other shapes, gRPC or probe host), for a short run.
# CPUS=0,1 runs everything on those CPUs only (taskset), to measure "a 2-core machine" on a larger one.
# Builds bench/Granary.LoadGenerator (Release); prepares a repository of one view with 50 features over 100,000
# users, materialized into the embedded store (reused between runs) and into a fresh redis-server on a free port
# (--save '' --appendonly no); starts Granary's server over each, a trivial Kestrel endpoint answering a real 1x10
# response's bytes, and a probe host (Granary's routes plus endpoints that skip parts of the work), each in a
# process of its own; measures maximum throughput with wrk (closed loop, 1 thread, 32 connections) and latency at
# half of Granary's maximum with the open-loop generator; stops every process it started, whatever happens.
# Results: bench/.data/server/results.txt (raw lines) and a summary on stdout.
set -euo pipefail
if [[ -n "${CPUS:-}" && -z "${RUN_LOAD_PINNED:-}" ]]; then
  exec env RUN_LOAD_PINNED=1 taskset -c "$CPUS" "$0" "$@"
fi

ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
OUT="$ROOT/bench/.data/server"
DURATION="${DURATION:-20}"
ROUNDS="${ROUNDS:-3}"
HEADLINE="${HEADLINE:-}"
WARMUP="${WARMUP:-3}"
USERS=100000
LUA="$ROOT/bench/Granary.Benchmarks/Server/post.lua"
LG=(dotnet "$ROOT/bench/Granary.LoadGenerator/bin/Release/net10.0/Granary.LoadGenerator.dll")
[[ -n "${LOADGEN:-}" ]] && LG=("$LOADGEN")
RESULTS="$OUT/results.txt"
mkdir -p "$OUT"
: > "$RESULTS"

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[[ -n "$HEADLINE" ]] || command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install -y redis-server" >&2; exit 1; }

free_port() {
  local p
  while true; do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

# start NAME ARGS...: runs the load generator's server mode in the background; sets URL (and GRPC).
start() {
  local name="$1"; shift
  : > "$OUT/$name.log"  # truncated here, not in the child: a log of an earlier run must not be read as this one's
  "${LG[@]}" "$@" > "$OUT/$name.log" 2>&1 &
  PIDS+=("$!")
  for _ in $(seq 600); do
    grep -q '^READY' "$OUT/$name.log" 2>/dev/null && break
    kill -0 "$!" 2>/dev/null || { cat "$OUT/$name.log" >&2; exit 1; }
    sleep 0.1
  done
  URL="$(sed -n 's/^HTTP //p' "$OUT/$name.log")"
  GRPC="$(sed -n 's/^GRPC //p' "$OUT/$name.log")"
  echo "$name: $URL ${GRPC:+(gRPC $GRPC)}"
}

# max LABEL URL ENTITIES FEATURES: wrk, closed loop; prints and records its RESULT line; sets RPS.
max() {
  local label="$1" url="$2"
  local line
  line="$(ENTITIES="$3" FEATURES="$4" IDS=$USERS wrk -t1 -c32 -d"${DURATION}s" -s "$LUA" --latency "$url" | grep '^RESULT')"
  echo "wrk $label | $line" | tee -a "$RESULTS"
  RPS="$(sed -n 's/.*rps=\([0-9]*\).*/\1/p' <<< "$line")"
}

# paced MODE LABEL URL ENTITIES FEATURES RATE [CONNECTIONS]: the open-loop generator at RATE requests/s (0: closed loop).
paced() {
  "${LG[@]}" "$1" --label "$2" --url "$3" --entities "$4" --features "$5" --ids $USERS --rate "$6" \
    --connections "${7:-32}" --duration "$DURATION" --warmup "$WARMUP" --append "$RESULTS"
}

if [[ -z "${LOADGEN:-}" ]]; then
  echo "== build"
  dotnet build -c Release "$ROOT/bench/Granary.LoadGenerator" -v q -nologo | grep -E 'error|Warn' || true
fi

echo "== machine"
{ echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"; echo "nproc: $(nproc)${CPUS:+ (CPUs $CPUS of $(nproc --all))}"; grep -m1 'model name' /proc/cpuinfo;
  { dotnet --version 2>/dev/null || echo "dotnet: published ($LOADGEN)"; }; { wrk --version 2>&1 || true; } | head -1; { redis-server --version 2>/dev/null || true; }; uptime; } | tee -a "$RESULTS"

echo "== prepare"
"${LG[@]}" prepare --repo "$OUT/repo-embedded" --store embedded --entities $USERS
if [[ -z "$HEADLINE" ]]; then
  REDIS_PORT="$(free_port)"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --protected-mode no > "$OUT/redis.log" 2>&1 &
  PIDS+=("$!")
  for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  "${LG[@]}" prepare --repo "$OUT/repo-redis" --store redis --redis "127.0.0.1:$REDIS_PORT" --entities $USERS
fi

echo "== servers"
start granary-embedded serve --repo "$OUT/repo-embedded"; EMB="$URL"; EMB_GRPC="$GRPC"
[[ -n "$HEADLINE" ]] || { start granary-redis serve --repo "$OUT/repo-redis"; RED="$URL"; }
"${LG[@]}" body --entities 1 --features 10 --ids $USERS > "$OUT/request-1x10.json"
curl -sf -X POST -H 'Content-Type: application/json' --data-binary "@$OUT/request-1x10.json" "${EMB}get-online-features" > "$OUT/response-1x10.json"
echo "1x10 response: $(wc -c < "$OUT/response-1x10.json") bytes" | tee -a "$RESULTS"
start trivial trivial --body "$OUT/response-1x10.json"; TRIV="$URL"
WARM=("${TRIV}get-online-features 1 10" "${EMB}get-online-features 1 10")
if [[ -z "$HEADLINE" ]]; then
  start probe probe --repo "$OUT/repo-embedded" --body "$OUT/response-1x10.json" --ids $USERS; PROBE="$URL"
  WARM+=("${EMB}get-online-features 1 50" "${EMB}get-online-features 100 50" "${RED}get-online-features 1 10"
    "${PROBE}get-online-features 1 10" "${PROBE}probe/canned 1 10" "${PROBE}probe/store?f=10 1 10" "${PROBE}probe/json?f=10 1 10")
fi

echo "== warm-up (wrk, 5 s per server and shape, not recorded)"
for target in "${WARM[@]}"; do
  read -r url k f <<< "$target"
  ENTITIES=$k FEATURES=$f IDS=$USERS wrk -t1 -c32 -d5s -s "$LUA" "$url" > /dev/null
done

echo "== maximum throughput (wrk -t1 -c32 -d${DURATION}s); trivial and Granary 1x10 alternate, $ROUNDS rounds"
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }
TRIVS=(); EMBS=()
for round in $(seq "$ROUNDS"); do
  max "trivial Kestrel, constant 1x10 body (round $round)" "${TRIV}get-online-features" 1 10; TRIVS+=("$RPS")
  max "granary embedded 1x10 (round $round)" "${EMB}get-online-features" 1 10; EMBS+=("$RPS")
done
TRIV_RPS="$(median "${TRIVS[@]}")"; EMB_RPS="$(median "${EMBS[@]}")"
if [[ -z "$HEADLINE" ]]; then
  max "granary embedded 1x50" "${EMB}get-online-features" 1 50; EMB50_RPS="$RPS"
  max "granary embedded 100x50" "${EMB}get-online-features" 100 50; EMB100_RPS="$RPS"
  max "granary redis 1x10" "${RED}get-online-features" 1 10; RED_RPS="$RPS"
  max "granary redis 1x50" "${RED}get-online-features" 1 50; RED50_RPS="$RPS"
  GRPC_LINE="$(paced grpc "grpc embedded 1x10 max" "$EMB_GRPC" 1 10 0 32)"; echo "$GRPC_LINE"
  GRPC_RPS="$(sed -n 's/.*in flight, \([0-9]*\)\/s.*/\1/p' <<< "$GRPC_LINE")"
fi

echo "== latency at half of the maximum (open loop)"
HALF=$((EMB_RPS / 2))
# The two cores are shared with other work, so one 10-20 s window can catch a burst of it: trivial and Granary
# alternate, ROUNDS rounds each, and the medians of their p99s compare.
p99() { sed -n 's/.*from due time (ms): p50 [0-9.]* p90 [0-9.]* p99 \([0-9.]*\).*/\1/p' <<< "$1"; }
TRIV99=(); EMB99=()
for round in $(seq "$ROUNDS"); do
  line="$(paced http "trivial Kestrel 1x10 @half of granary 1x10 max (round $round)" "$TRIV" 1 10 "$HALF")"; echo "$line"; TRIV99+=("$(p99 "$line")")
  line="$(paced http "http embedded 1x10 @half of granary 1x10 max (round $round)" "$EMB" 1 10 "$HALF")"; echo "$line"; EMB99+=("$(p99 "$line")")
done
if [[ -z "$HEADLINE" ]]; then
paced http "http embedded 1x50 @half" "$EMB" 1 50 $((EMB50_RPS / 2))
paced http "http embedded 100x50 @half" "$EMB" 100 50 $((EMB100_RPS / 2))
paced http "http redis 1x10 @half" "$RED" 1 10 $((RED_RPS / 2))
paced http "http redis 1x50 @half" "$RED" 1 50 $((RED50_RPS / 2))
# Last: the .NET gRPC client beside the server cannot offer HTTP's rate on two cores, so gRPC is paced at half of
# its own closed-loop maximum; an overloaded run would leave a backlog behind for whatever ran next.
paced grpc "grpc embedded 1x10 @half of grpc max" "$EMB_GRPC" 1 10 $((GRPC_RPS / 2))

echo "== where the time goes (probe host: Granary's services and routes, wrk)"
max "probe: Granary's /get-online-features 1x10" "${PROBE}get-online-features" 1 10
max "probe: /probe/canned (drain body, canned answer)" "${PROBE}probe/canned" 1 10
max "probe: /probe/store (+ real 1x10 lookup, canned answer)" "${PROBE}probe/store?f=10" 1 10
max "probe: /probe/json (+ real JSON answer; no parsing, no ServerMetrics)" "${PROBE}probe/json?f=10" 1 10
fi

echo "== summary"
awk -v t="$TRIV_RPS" -v g="$EMB_RPS" 'BEGIN { printf "medians: trivial %d/s, granary embedded 1x10 %d/s: %.1f%% (goal 70%%)\n", t, g, 100 * g / t }' | tee -a "$RESULTS"
echo "medians of p99 at ${HALF}/s (open loop): trivial $(median "${TRIV99[@]}") ms, granary embedded 1x10 $(median "${EMB99[@]}") ms (goal 2 ms)" | tee -a "$RESULTS"
cat "$RESULTS"
