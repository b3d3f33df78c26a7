#!/usr/bin/env bash
# Purge propagation benchmark (issue 6): starts the demo topology (standard ports: admin 9000, origin 9001,
# shields 8082-8083, edges 8080-8081) on a fresh data directory, runs bench/purge-propagation.py with the
# bootstrap admin token, and stops exactly what it started (by PID).
#   bench/purge-propagation.sh [--purges 100]
# DEMO_HOST=127.0.0.2 runs the demo on another loopback address (beside ../shared/bench's anchors on 127.0.0.1).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
DATA="$(mktemp -d /tmp/cdn-bench-purge.XXXXXX)"
jar="${JAR:-$ROOT/launcher/target/blue-origin.jar}"   # JAR: another build, for a before/after
[[ -f $jar ]] || (cd "$ROOT" && mvn -q -B -DskipTests package)
host="${DEMO_HOST:-127.0.0.1}"
java -Xmx1g -jar "$jar" demo --host "$host" --data-dir "$DATA" >"$DATA/demo.log" 2>&1 &
pid=$!
cleanup() {
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    cp "$DATA/demo.log" /tmp/cdn-bench-purge-demo.log 2>/dev/null || true
    rm -rf "$DATA"
}
trap cleanup EXIT
for _ in $(seq 1 300); do
    [[ -s $DATA/admin.token ]] && curl -s -o /dev/null http://$host:18080/readyz && break
    kill -0 "$pid" 2>/dev/null || { echo "demo exited; log:"; tail -20 "$DATA/demo.log"; exit 1; }
    sleep 0.2
done
for port in 18080 18081 18082 18083; do
    for _ in $(seq 1 100); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' "http://$host:$port/readyz") == 200 ]] && break
        sleep 0.2
    done
done
python3 "$HERE/purge-propagation.py" --host "$host" --token "$(tr -d '[:space:]' <"$DATA/admin.token")" "$@"
