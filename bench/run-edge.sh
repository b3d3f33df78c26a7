#!/usr/bin/env bash
# Starts (or stops) this project's edge the way ../shared/bench/anchors.sh starts the reference proxies:
# pinned to CPU 0 (EDGE_CPUS), on 127.0.0.1:8080 (EDGE_PORT) in front of the bench origin on :9001,
# a 128 MiB heap tier (CACHE_MB), no access log. The PID is kept in $STATE_DIR/edge.pid; stop uses it.
# EDGE_FORM=war runs edge.war in a stock jetty-home instead of the launcher's jar (same settings, same JVM
# options; the jetty base is made by ops/jetty-base/setup.sh in $STATE_DIR), to compare the two forms.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
STATE_DIR="${STATE_DIR:-/tmp/cdn-bench-edge}"
EDGE_CPUS="${EDGE_CPUS:-0}"
EDGE_PORT="${EDGE_PORT:-8080}"
EDGE_FORM="${EDGE_FORM:-jar}"
ROLE="${ROLE:-edge}"   # shield: the same node as a shield (bench/misses.sh runs both tiers)
JETTY_VERSION="${JETTY_VERSION:-12.1.12}"
ORIGIN="${ORIGIN:-http://127.0.0.1:9001}"
CACHE_MB="${CACHE_MB:-128}"
# DISK_DIR: a disk tier of DISK_MB (default CACHE_MB) there (the anchors keep their caches on tmpfs too); unset: heap only
DISK_DIR="${DISK_DIR:-}"
DISK_MB="${DISK_MB:-$CACHE_MB}"
JAVA_OPTS="${JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC -XX:+AlwaysPreTouch}"
mkdir -p "$STATE_DIR"

case "${1:-}" in
start)
    jar="${JAR:-$ROOT/launcher/target/blue-origin.jar}"   # JAR: another build, to compare two builds in one run
    [[ -f $jar ]] || (cd "$ROOT" && mvn -q -B -DskipTests package)
    if [[ -f $STATE_DIR/edge.pid ]] && kill -0 "$(cat "$STATE_DIR/edge.pid")" 2>/dev/null; then
        echo "edge already running (pid $(cat "$STATE_DIR/edge.pid"))"; exit 0
    fi
    disk=()
    if [[ -n $DISK_DIR ]]; then
        mkdir -p "$DISK_DIR"
        disk=(--set store.disk.path="$DISK_DIR" --set store.disk.max-size="${DISK_MB}MB" --set store.max-object-size=64MB)
    fi
    if [[ $EDGE_FORM == war ]]; then
        war="$ROOT/edge-webapp/target/edge.war"
        [[ -f $war ]] || (cd "$ROOT" && mvn -q -B -DskipTests -pl edge-webapp -am package)
        home="$STATE_DIR/jetty-home-$JETTY_VERSION"
        if [[ ! -f $home/start.jar ]]; then
            (cd "$ROOT" && mvn -q -B -N dependency:copy -Dartifact="org.eclipse.jetty:jetty-home:$JETTY_VERSION:tar.gz" \
                -DoutputDirectory="$STATE_DIR")
            tar xzf "$STATE_DIR/jetty-home-$JETTY_VERSION.tar.gz" -C "$STATE_DIR"
        fi
        [[ -z $DISK_DIR ]] || { echo "DISK_DIR is not supported with EDGE_FORM=war"; exit 2; }
        printf 'node:\n  pop: bench\nmanagement:\n  port: %d\nupstream:\n  url: %s\nstore:\n  heap:\n    max-size: %sMB\ncache:\n  ttl-cap: 300s\n' \
            $((EDGE_PORT + 10000)) "$ORIGIN" "$CACHE_MB" >"$STATE_DIR/edge.yaml"
        "$ROOT/ops/jetty-base/setup.sh" --jetty-home "$home" --war "$war" --config "$STATE_DIR/edge.yaml" edge "$STATE_DIR/base" >/dev/null
        # shellcheck disable=SC2086
        (cd "$STATE_DIR/base" && exec taskset -c "$EDGE_CPUS" java $JAVA_OPTS -jar "$home/start.jar" \
            jetty.http.host=127.0.0.1 jetty.http.port="$EDGE_PORT") >"$STATE_DIR/edge.log" 2>&1 &
    else
        # shellcheck disable=SC2086
        taskset -c "$EDGE_CPUS" java $JAVA_OPTS -jar "$jar" "$ROLE" --host 127.0.0.1 --port "$EDGE_PORT" \
            --management-port $((EDGE_PORT + 10000)) --pop bench --upstream "$ORIGIN" \
            --set store.heap.max-size="${CACHE_MB}MB" --set cache.ttl-cap=300s "${disk[@]}" >"$STATE_DIR/edge.log" 2>&1 &
    fi
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
    echo "usage: $0 start|stop   (EDGE_CPUS, EDGE_PORT, ORIGIN, CACHE_MB, JAVA_OPTS, DISK_DIR, DISK_MB, EDGE_FORM=jar|war, ROLE=edge|shield)"; exit 2
    ;;
esac
