#!/usr/bin/env bash
# Starts (or stops) this project's edge the way ../shared/bench/anchors.sh starts the reference proxies:
# pinned to CPU 0 (EDGE_CPUS), on 127.0.0.1:8080 (EDGE_PORT) in front of the bench origin on :9001,
# a 128 MiB heap tier (CACHE_MB), no access log. The PID is kept in $STATE_DIR/edge.pid; stop uses it.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
STATE_DIR="${STATE_DIR:-/tmp/cdn-bench-edge}"
EDGE_CPUS="${EDGE_CPUS:-0}"
EDGE_PORT="${EDGE_PORT:-8080}"
ORIGIN="${ORIGIN:-http://127.0.0.1:9001}"
CACHE_MB="${CACHE_MB:-128}"
# DISK_DIR: a disk tier of CACHE_MB there (the anchors keep their caches on tmpfs too); unset: heap only
DISK_DIR="${DISK_DIR:-}"
JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC -XX:+AlwaysPreTouch}"
mkdir -p "$STATE_DIR"

case "${1:-}" in
start)
    jar="$ROOT/launcher/target/blue-origin.jar"
    [[ -f $jar ]] || (cd "$ROOT" && mvn -q -B -DskipTests package)
    if [[ -f $STATE_DIR/edge.pid ]] && kill -0 "$(cat "$STATE_DIR/edge.pid")" 2>/dev/null; then
        echo "edge already running (pid $(cat "$STATE_DIR/edge.pid"))"; exit 0
    fi
    disk=()
    if [[ -n $DISK_DIR ]]; then
        mkdir -p "$DISK_DIR"
        disk=(--set store.disk.path="$DISK_DIR" --set store.disk.max-size="${CACHE_MB}MB" --set store.max-object-size=64MB)
    fi
    # shellcheck disable=SC2086
    taskset -c "$EDGE_CPUS" java $JAVA_OPTS -jar "$jar" edge --host 127.0.0.1 --port "$EDGE_PORT" \
        --management-port $((EDGE_PORT + 10000)) --pop bench --upstream "$ORIGIN" \
        --set store.heap.max-size="${CACHE_MB}MB" --set cache.ttl-cap=300s "${disk[@]}" >"$STATE_DIR/edge.log" 2>&1 &
    echo $! >"$STATE_DIR/edge.pid"
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "http://127.0.0.1:$((EDGE_PORT + 10000))/healthz" && { echo "edge up on :$EDGE_PORT (pid $(cat "$STATE_DIR/edge.pid"))"; exit 0; }
        sleep 0.2
    done
    echo "edge did not start; see $STATE_DIR/edge.log"; exit 1
    ;;
stop)
    [[ -f $STATE_DIR/edge.pid ]] || { echo "not running"; exit 0; }
    pid=$(cat "$STATE_DIR/edge.pid")
    kill "$pid" 2>/dev/null && for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    rm -f "$STATE_DIR/edge.pid"; echo "edge stopped"
    ;;
*)
    echo "usage: $0 start|stop   (EDGE_CPUS, EDGE_PORT, ORIGIN, CACHE_MB, JAVA_OPTS)"; exit 2
    ;;
esac
