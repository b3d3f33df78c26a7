#!/usr/bin/env bash
# Herd and shield-hop benchmark (issue 5): starts the bench origin (../shared/bench/origin.py), two shields
# in a ring, two edges over them and one edge straight to the origin, all on loopback, runs bench/herd.py,
# and stops exactly what it started (by PID). Ports 19001 (origin), 19082-19083 (shields), 19080-19081
# (edges), 19090 (direct edge); management ports +10000.
#   bench/herd.sh [herd.py options, e.g. --hop-requests 500]
# The herd itself runs bench/HerdClient.java (HERD_CLIENTS=200, HERD_KEYS=5) over both edges and then over the direct
# edge; HERD_CLIENT=python runs herd.py's own herd instead (its options then: --clients 200 --keys 5).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
ORIGIN_PY="${ORIGIN_PY:-$ROOT/../shared/bench/origin.py}"
STATE_DIR="$(mktemp -d /tmp/cdn-bench-herd.XXXXXX)"
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx512m -XX:+UseParallelGC}"
jar="$ROOT/launcher/target/blue-origin.jar"
[[ -f $jar ]] || (cd "$ROOT" && mvn -q -B -DskipTests package)
[[ -f $ORIGIN_PY ]] || { echo "bench origin not found at $ORIGIN_PY (set ORIGIN_PY)"; exit 1; }

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$STATE_DIR"
}
trap cleanup EXIT

python3 "$ORIGIN_PY" --port 19001 >"$STATE_DIR/origin.log" 2>&1 & pids+=($!)
node() { # role pop port upstream
    # shellcheck disable=SC2086
    java $JAVA_OPTS -jar "$jar" "$1" --host 127.0.0.1 --port "$3" --pop "$2" --upstream "$4" \
        --set cache.ttl-cap=300s >"$STATE_DIR/$1-$2.log" 2>&1 &
    pids+=($!)
}
node shield iad 19082 http://127.0.0.1:19001
node shield ord 19083 http://127.0.0.1:19001
node edge nyc 19080 http://127.0.0.1:19082,http://127.0.0.1:19083
node edge lhr 19081 http://127.0.0.1:19082,http://127.0.0.1:19083
node edge direct 19090 http://127.0.0.1:19001
for port in 29082 29083 29080 29081 29090; do
    for _ in $(seq 1 150); do
        curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break
        sleep 0.2
    done
    curl -s -o /dev/null "http://127.0.0.1:$port/healthz" || { echo "node on management port $port did not start; logs in $STATE_DIR"; trap - EXIT; exit 1; }
done
curl -s -o /dev/null http://127.0.0.1:19001/__origin_stats || { echo "origin did not start"; exit 1; }
if [[ ${HERD_CLIENT:-java} == java ]]; then
    # the herd from bench/HerdClient.java (one selector thread: its own cost stays out of the figure), over the two
    # edges in front of the shields, then over the edge that goes straight to the origin; the hop rows from herd.py
    java "$HERE/HerdClient.java" --url http://127.0.0.1:19080,http://127.0.0.1:19081 --origin http://127.0.0.1:19001 \
        --clients "${HERD_CLIENTS:-200}" --keys "${HERD_KEYS:-5}" --tag "tier$$"
    java "$HERE/HerdClient.java" --url http://127.0.0.1:19090 --origin http://127.0.0.1:19001 \
        --clients "${HERD_CLIENTS:-200}" --keys "${HERD_KEYS:-5}" --tag "direct$$"
    python3 "$HERE/herd.py" --edges http://127.0.0.1:19080,http://127.0.0.1:19081 --direct http://127.0.0.1:19090 \
        --origin http://127.0.0.1:19001 --keys 0 "$@"
else
    python3 "$HERE/herd.py" --edges http://127.0.0.1:19080,http://127.0.0.1:19081 --direct http://127.0.0.1:19090 \
        --origin http://127.0.0.1:19001 "$@"
fi
