#!/usr/bin/env bash
# A fleet on this machine (issue 17): one PostgreSQL, ADMINS admin replicas on it, the demo origin, SHIELDS shields
# and EDGES edges (default 2, 4, 20), and a router, each node its own JVM (so any one can be SIGKILLed and restarted
# on its own data: bench/chaos.sh), with its own disk store and small per-node budgets. Every proxy node lists
# every admin replica in control.admin-url and authenticates with its own node token; edges hash keys over the
# shields admin's registry lists (upstream.shields-from-registry).
#
#   bench/fleet.sh start            start everything (a fresh fleet in FLEET_DIR, default /tmp/cdn-fleet)
#   bench/fleet.sh stop             stop everything this script started (by the PIDs it recorded), keep the data
#   bench/fleet.sh status           each node: pid, alive or not
#   bench/fleet.sh kill NAME        SIGKILL one node (postgres: its postmaster and the JVM that started it)
#   bench/fleet.sh start-node NAME  start one node again with its recorded command, wait until it is ready
#   bench/fleet.sh add-shield NAME  start one more shield (e.g. shield-s5) and register it: edges take it into their ring
#   bench/fleet.sh urls ROLE        the traffic URLs of ROLE (edge, shield, admin), comma-separated
#
# Nodes bind FLEET_HOST (default 127.0.0.3, beside the demo and ../shared/bench's anchors on 127.0.0.1). Ports: PostgreSQL
# 25432, admins 29001.., origin 29100, router 29200, shields 28101.., edges 28001..; management ports +10000 on 127.0.0.1.
# FLEET_JAVA_OPTS: each proxy node's, the origin's and the router's JVM options (default -Xmx160m, serial GC, C1 only:
# 28 JVMs share two cores here); ADMIN_JAVA_OPTS the admin replicas' (default -Xmx512m, ParallelGC, full JIT).
# The admin token is in FLEET_DIR/admin.token; each node's log in FLEET_DIR/nodes/NAME/log.
# FLEET_PACKS=N (default 0: a JVM per node) runs the edges and shields in N JVMs instead (blue-origin nodes; the
# shields and edges dealt round-robin; PACK_JAVA_OPTS, default -Xmx1g, full JIT), as the issue allows ("several
# nodes per JVM, with per-node budgets"): fewer processes for two cores to schedule. For measurements only: kill
# and start-node act on a whole pack (its log and pid are in FLEET_DIR/nodes/pack-K).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
FLEET_DIR="${FLEET_DIR:-/tmp/cdn-fleet}"
HOST="${FLEET_HOST:-127.0.0.3}"
EDGES="${EDGES:-20}"
SHIELDS="${SHIELDS:-4}"
ADMINS="${ADMINS:-2}"
ORIGIN_DELAY="${ORIGIN_DELAY:-50ms}"
JAVA_OPTS="${FLEET_JAVA_OPTS:--Xms32m -Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=48m -Xss512k}"
# admin serves every node's polls, acks and heartbeats: a full JIT and more heap (ADMIN_JAVA_OPTS)
ADMIN_JAVA_OPTS="${ADMIN_JAVA_OPTS:--Xms256m -Xmx512m -XX:+UseParallelGC}"
PACKS="${FLEET_PACKS:-0}"
PACK_JAVA_OPTS="${PACK_JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseParallelGC -Xss512k}"
BUILT_JAR="${JAR:-$ROOT/launcher/target/blue-origin.jar}"
JAR="$FLEET_DIR/blue-origin.jar"
GEOIP="${GEOIP:-$ROOT/../shared/geoip/GeoIP2-City-Test.mmdb}"
PG_PORT=25432
(( EDGES >= 1 && EDGES <= 99 && SHIELDS >= 1 && SHIELDS <= 9 && ADMINS >= 1 && ADMINS <= 9 && PACKS >= 0 && PACKS <= 9 )) \
    || { echo "fleet.sh: EDGES 1..99, SHIELDS 1..9, ADMINS 1..9, FLEET_PACKS 0..9"; exit 2; }

edge_port() { printf '%d' $((28000 + 10#$1)); }
shield_port() { printf '%d' $((28100 + $1)); }
admin_port() { printf '%d' $((29000 + $1)); }
admin_urls() { local u=() i; for i in $(seq 1 "$ADMINS"); do u+=("http://$HOST:$(admin_port "$i")"); done; (IFS=,; echo "${u[*]}"); }
shield_names() { local i; for i in $(seq 1 "$SHIELDS"); do echo "shield-s$i"; done; }
edge_names() { local i; for i in $(seq 1 "$EDGES"); do printf 'edge-e%02d\n' "$i"; done; }

# the node NAME's traffic port (recorded when its command was written)
port_of() { cat "$FLEET_DIR/nodes/$1/port"; }

# writes NAME's run script: env and one exec line; start_node runs it in its own session
write_node() { # name port command...
    local name="$1" port="$2"; shift 2
    local dir="$FLEET_DIR/nodes/$name"
    mkdir -p "$dir"
    echo "$port" >"$dir/port"
    { echo '#!/usr/bin/env bash'
      [[ -f $dir/token ]] && echo "export CDN_CONTROL_TOKEN=\"\$(cat '$dir/token')\" CDN_ROUTING_TOKEN=\"\$(cat '$dir/token')\""
      printf 'exec'; printf ' %q' "$@"; echo; } >"$dir/run.sh"
}

start_node() { # name: runs its script in the background, records the pid
    local dir="$FLEET_DIR/nodes/$1"
    [[ -f $dir/run.sh ]] || { echo "fleet.sh: no node $1 in $FLEET_DIR"; exit 2; }
    if [[ -f $dir/pid ]] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then return 0; fi
    setsid bash "$dir/run.sh" >>"$dir/log" 2>&1 < /dev/null &
    echo $! >"$dir/pid"
}

# waits until NAME answers 200 on its readiness URL (postgres: accepts a connection), at most 180 s
wait_node() {
    local name="$1" port url
    port="$(port_of "$name")"
    case "$name" in
        postgres) url="" ;;
        admin-*|origin|router) url="http://127.0.0.1:$((port + 10000))/healthz" ;;
        *) url="http://127.0.0.1:$((port + 10000))/readyz" ;;
    esac
    for _ in $(seq 1 900); do
        if [[ -z $url ]]; then
            (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        elif [[ $(curl -s -o /dev/null -w '%{http_code}' "$url") == 200 ]]; then
            return 0
        fi
        kill -0 "$(cat "$FLEET_DIR/nodes/$name/pid")" 2>/dev/null \
            || { echo "fleet.sh: $name exited; its log:"; tail -5 "$FLEET_DIR/nodes/$name/log"; return 1; }
        sleep 0.2
    done
    echo "fleet.sh: $name not ready after 180 s; log in $FLEET_DIR/nodes/$name/log"; return 1
}

api() { # method path [json]: admin's API with the admin token, on the first admin that answers
    local i
    for i in $(seq 1 "$ADMINS"); do
        if curl -sf -X "$1" -H "Authorization: Bearer $(cat "$FLEET_DIR/admin.token")" -H 'Content-Type: application/json' \
            ${3:+--data "$3"} "http://$HOST:$(admin_port "$i")/api/v1$2"; then return 0; fi
    done
    return 1
}

node_token() { # name: creates the node's own token (scope node), kept in its directory
    local dir="$FLEET_DIR/nodes/$1"
    mkdir -p "$dir"
    api POST /tokens "{\"name\": \"$1\", \"scopes\": [\"node\"], \"node\": \"$1\"}" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])' >"$dir/token"
}

proxy_node() { # role name pop port upstream [more --set]
    local role="$1" name="$2" pop="$3" port="$4" upstream="$5"; shift 5
    mkdir -p "$FLEET_DIR/nodes/$name/cache"
    local args=("$role" --host "$HOST" --port "$port" --name "$name" --pop "$pop" \
        --upstream "$upstream" --set "control.admin-url=$(admin_urls)" --set control.heartbeat-interval=5s \
        --set store.heap.max-size=16MB --set "store.disk.path=$FLEET_DIR/nodes/$name/cache" --set store.disk.max-size=64MB --set store.max-object-size=16MB \
        --set server.max-threads=64 "$@")
    write_node "$name" "$port" java $JAVA_OPTS -jar "$JAR" "${args[@]}"
    printf ' %q' "${args[@]}" >"$FLEET_DIR/nodes/$name/args"   # for a pack (FLEET_PACKS)
}

# FLEET_PACKS: writes and starts pack-1..N, each one JVM running its share of NAMES (blue-origin nodes), each node
# with its own token in its own --set (the environment's token would be every node's)
start_packs() { # names...
    local names=("$@") k i
    for k in $(seq 1 "$PACKS"); do
        local dir="$FLEET_DIR/nodes/pack-$k" line="exec java $PACK_JAVA_OPTS -jar $(printf '%q' "$JAR") nodes" first=1
        mkdir -p "$dir"
        for ((i = k - 1; i < ${#names[@]}; i += PACKS)); do
            (( first )) || line+=" +"
            first=0
            line+="$(cat "$FLEET_DIR/nodes/${names[$i]}/args") --set control.token=\"\$(cat '$FLEET_DIR/nodes/${names[$i]}/token')\""
        done
        printf '#!/usr/bin/env bash\n%s\n' "$line" >"$dir/run.sh"
        start_node "pack-$k"
        for ((i = k - 1; i < ${#names[@]}; i += PACKS)); do   # a member's pid and log are its pack's
            cp "$dir/pid" "$FLEET_DIR/nodes/${names[$i]}/pid"
            ln -sf "$dir/log" "$FLEET_DIR/nodes/${names[$i]}/log"
        done
    done
}

add_shield() { # name (shield-sN) [--no-start]
    local name="$1" n="${1#shield-s}"
    node_token "$name"
    proxy_node shield "$name" "s$n" "$(shield_port "$n")" "http://$HOST:29100" --set "forwarding.trusted-proxies=$HOST/32"
    [[ ${2:-} == --no-start ]] || start_node "$name"
}

start_fleet() {
    [[ -f $BUILT_JAR ]] || (cd "$ROOT" && mvn -q -B -DskipTests package)
    if [[ -d $FLEET_DIR/nodes ]]; then
        for d in "$FLEET_DIR"/nodes/*/; do
            [[ -f $d/pid ]] && kill -0 "$(cat "$d/pid")" 2>/dev/null && { echo "fleet.sh: a fleet runs in $FLEET_DIR (stop it first)"; exit 2; }
        done
    fi
    rm -rf "$FLEET_DIR"; mkdir -p "$FLEET_DIR/nodes"
    cp "$BUILT_JAR" "$JAR"   # the fleet's own copy: a rebuild of the working tree leaves running nodes alone
    local started; started=$(date +%s)
    write_node postgres "$PG_PORT" java -Xmx64m -jar "$JAR" postgres --data-dir "$FLEET_DIR/postgres" --port "$PG_PORT"
    start_node postgres; wait_node postgres
    local db="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" i
    for i in $(seq 1 "$ADMINS"); do
        write_node "admin-$i" "$(admin_port "$i")" java $ADMIN_JAVA_OPTS -jar "$JAR" admin --host "$HOST" --port "$(admin_port "$i")" \
            --name "admin-$i" --db-url "$db" --bootstrap-token-file "$FLEET_DIR/admin.token" --set db.pool-size=10 \
            --set server.max-connections-per-client=4096   # every node of this fleet connects from 127.0.0.1
        start_node "admin-$i"; wait_node "admin-$i"   # one at a time: the first migrates the schema
    done
    write_node origin 29100 java $JAVA_OPTS -jar "$JAR" origin --host "$HOST" --port 29100 --delay "$ORIGIN_DELAY"
    start_node origin
    for name in $(shield_names); do if (( PACKS > 0 )); then add_shield "$name" --no-start; else add_shield "$name"; fi; done
    local shields=() name
    for i in $(seq 1 "$SHIELDS"); do shields+=("http://$HOST:$(shield_port "$i")"); done
    for i in $(seq 1 "$EDGES"); do
        name="$(printf 'edge-e%02d' "$i")"
        node_token "$name"
        proxy_node edge "$name" "$(printf 'e%02d' "$i")" "$(edge_port "$i")" "$(IFS=,; echo "${shields[*]}")" \
            --set upstream.shields-from-registry=true
    done
    if (( PACKS > 0 )); then
        start_packs $(shield_names) $(edge_names)   # shields first: each pack's edges find theirs up
    else
        for name in $(edge_names); do start_node "$name"; done
    fi
    mkdir -p "$FLEET_DIR/nodes/router"
    api POST /tokens '{"name": "fleet router", "scopes": ["read"]}' \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])' >"$FLEET_DIR/nodes/router/token"
    write_node router 29200 java $JAVA_OPTS -jar "$JAR" router --host "$HOST" --port 29200 --admin-url "$(admin_urls)" \
        --geoip-db "$GEOIP"
    start_node router
    for name in origin $(shield_names) $(edge_names) router; do wait_node "$name"; done
    echo "fleet up in $(( $(date +%s) - started )) s: $EDGES edges ($(urls edge | cut -d, -f1)...), $SHIELDS shields, $ADMINS admins" \
        "($(admin_urls)), origin http://$HOST:29100, router http://$HOST:29200; admin token in $FLEET_DIR/admin.token"
}

stop_fleet() {
    [[ -d $FLEET_DIR/nodes ]] || return 0
    local d pid
    for d in "$FLEET_DIR"/nodes/*/; do
        [[ $(basename "$d") == postgres ]] && continue
        [[ -f $d/pid ]] && kill "$(cat "$d/pid")" 2>/dev/null || true
    done
    for d in "$FLEET_DIR"/nodes/*/; do
        [[ $(basename "$d") == postgres || ! -f $d/pid ]] && continue
        pid="$(cat "$d/pid")"
        for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$pid" 2>/dev/null || true
    done
    if [[ -f $FLEET_DIR/nodes/postgres/pid ]]; then   # last: the nodes above are gone
        pid="$(cat "$FLEET_DIR/nodes/postgres/pid")"
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill_postmaster
    fi
}

kill_postmaster() { # SIGKILL the postmaster named in postmaster.pid, if it still runs
    local f="$FLEET_DIR/postgres/postmaster.pid" pid
    [[ -f $f ]] || return 0
    pid="$(head -1 "$f")"
    if [[ $(cat "/proc/$pid/comm" 2>/dev/null) == postgres ]]; then kill -9 "$pid"; fi
}

urls() {
    local role="$1" out=() d
    for d in "$FLEET_DIR"/nodes/"$role"-*/; do
        out+=("http://$HOST:$(cat "$d/port")")
    done
    (IFS=,; echo "${out[*]}")
}

case "${1:-}" in
    start) start_fleet ;;
    stop) stop_fleet ;;
    status)
        for d in "$FLEET_DIR"/nodes/*/; do
            name="$(basename "$d")"; pid="$(cat "$d/pid" 2>/dev/null || echo -)"
            if kill -0 "$pid" 2>/dev/null; then state=alive; else state=dead; fi
            printf '%-12s %-8s %s\n' "$name" "$pid" "$state"
        done ;;
    kill)
        name="${2:?kill NAME}"
        [[ -f $FLEET_DIR/nodes/$name/pid ]] || { echo "fleet.sh: no node $name"; exit 2; }
        [[ $name == postgres ]] && kill_postmaster
        pid="$(cat "$FLEET_DIR/nodes/$name/pid")"
        kill -9 "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done ;;
    start-node) start_node "${2:?start-node NAME}"; wait_node "$2" ;;
    add-shield) add_shield "${2:?add-shield shield-sN}"; wait_node "$2" ;;
    urls) urls "${2:?urls edge|shield|admin}" ;;
    *) sed -n '2,20p' "$0"; exit 2 ;;
esac
