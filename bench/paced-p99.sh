#!/usr/bin/env bash
# Hit latency at the same offered load for every target (issue 16). The kit's hot1k runs wrk closed-loop, so a
# faster target is also driven harder and wrk's own core saturates in front of it; here every connection waits
# PACE_MS after each response (bench/paced.lua), which caps the offered load below what every target serves,
# and the p99 compares the targets' service, not their saturation. Targets alternate round by round.
#
#   bench/paced-p99.sh [--rounds N] [--duration S] [--pace-ms MS] NAME=URL...
#   e.g. bench/paced-p99.sh nginx=http://127.0.0.1:8081 edge=http://127.0.0.1:8080 ats=http://127.0.0.1:8083
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rounds=4; duration=8; pace=2; targets=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --duration) duration="$2"; shift 2 ;;
        --pace-ms) pace="$2"; shift 2 ;;
        *=http://127.*) targets+=("$1"); shift ;;
        *) echo "usage: $0 [--rounds N] [--duration S] [--pace-ms MS] NAME=http://127.x.x.x:PORT..."; exit 2 ;;
    esac
done
(( ${#targets[@]} > 0 )) || { echo "paced-p99.sh: name at least one target (NAME=http://127.0.0.1:PORT)"; exit 2; }
(( duration <= 60 && rounds <= 10 )) || { echo "paced-p99.sh: at most 60 s and 10 rounds"; exit 2; }
command -v wrk >/dev/null || { echo "paced-p99.sh: wrk is missing (../shared/bench/bench.sh installs it)"; exit 2; }
path=/obj/1k/paced-$$
for t in "${targets[@]}"; do   # warm: fill each cache, then 20 s closed-loop so a JIT has compiled the hit path
    curl -s -o /dev/null "${t#*=}$path"; curl -s -o /dev/null "${t#*=}$path"
    taskset -c 1 wrk -t1 -c64 -d20s "${t#*=}$path" >/dev/null
done
for round in $(seq 1 "$rounds"); do
    for t in "${targets[@]}"; do
        out="$(PACE_MS="$pace" taskset -c 1 wrk -t1 -c64 -d"${duration}s" --latency -s "$HERE/paced.lua" "${t#*=}$path")"
        echo "${t%%=*} round $round: $(awk '/^Requests\/sec/ {printf "%s req/s", $2} $1 == "50%" {p50 = $2} $1 == "90%" {p90 = $2}
            $1 == "99%" {p99 = $2} END {printf ", p50 %s, p90 %s, p99 %s", p50, p90, p99}' <<<"$out")"
    done
done
