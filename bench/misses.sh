#!/usr/bin/env bash
# Misses, side by side (issue 16): every request a new key, so every request goes through every tier to the
# origin. nginx (proxy_cache, one tier) against our edge -> shield -> origin; the origin is the bench kit's
# origin.py on :9001 for both (it answers at once). Needs ../shared/bench/anchors.sh start (origin + nginx).
# Starts a shield (:8094) and an edge (:8093) on CPU 0 like the anchors, runs wrk on CPU 1, stops what it started.
#
#   bench/misses.sh [--duration SECONDS] [--rounds N] [--connections C]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
duration=8; rounds=3; connections=64
while [[ $# -gt 0 ]]; do
    case "$1" in
        --duration) duration="$2"; shift 2 ;;
        --rounds) rounds="$2"; shift 2 ;;
        --connections) connections="$2"; shift 2 ;;
        *) echo "usage: $0 [--duration S] [--rounds N] [--connections C]"; exit 2 ;;
    esac
done
(( duration <= 60 && rounds <= 10 )) || { echo "misses.sh: at most 60 s and 10 rounds"; exit 2; }
command -v wrk >/dev/null || { echo "misses.sh: wrk is missing (../shared/bench/bench.sh installs it)"; exit 2; }
curl -s -o /dev/null http://127.0.0.1:9001/obj/1k/probe || { echo "misses.sh: no origin on :9001 (../shared/bench/anchors.sh start)"; exit 2; }
cleanup() {
    STATE_DIR=/tmp/cdn-bench-miss-edge "$HERE/run-edge.sh" stop >/dev/null || true
    STATE_DIR=/tmp/cdn-bench-miss-shield "$HERE/run-edge.sh" stop >/dev/null || true
}
trap cleanup EXIT
# run-edge.sh starts an edge; the shield is the same command with ROLE=shield
ROLE=shield STATE_DIR=/tmp/cdn-bench-miss-shield EDGE_PORT=8094 ORIGIN=http://127.0.0.1:9001 "$HERE/run-edge.sh" start
STATE_DIR=/tmp/cdn-bench-miss-edge EDGE_PORT=8093 ORIGIN=http://127.0.0.1:8094 "$HERE/run-edge.sh" start

one() { # target url round -> "req/s p99ms"
    local out
    out="$(MISS_RUN="$1-$3-$$" taskset -c 1 wrk -t1 -c"$connections" -d"${duration}s" --latency -s "$HERE/misses.lua" "$2")"
    local rps p99
    rps="$(awk '/^Requests\/sec/ {print $2}' <<<"$out")"
    p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
    local non2xx
    non2xx="$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
    echo "$1 round $3: ${rps} req/s, p99 ${p99}${non2xx:+, non-2xx $non2xx}"
}
# warm-up, not reported: two fresh JVMs compiling on one core take about 20 s to reach their speed (a 5 s
# warm-up left the first rounds at a third of it)
MISS_RUN="warm-$$" taskset -c 1 wrk -t1 -c"$connections" -d20s -s "$HERE/misses.lua" http://127.0.0.1:8093 >/dev/null
MISS_RUN="warm-$$" taskset -c 1 wrk -t1 -c"$connections" -d5s -s "$HERE/misses.lua" http://127.0.0.1:8081 >/dev/null
for round in $(seq 1 "$rounds"); do
    one nginx http://127.0.0.1:8081 "$round"
    one edge-shield http://127.0.0.1:8093 "$round"
done
