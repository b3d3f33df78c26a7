#!/usr/bin/env python3
"""Purge propagation on a running demo topology (python3 standard library only). Not a test: it prints
numbers for a closing note; bench/purge-propagation.sh starts the demo and runs this.

For each of --purges rounds: one URL is made a hit on every node (edges nyc :8080 and lhr :8081, shields
iad :8082 and ord :8083), then purged through the admin API (POST /api/v1/purge).

Edges: one poller per edge sends GETs back to back over a keep-alive connection; an edge has applied the
purge when it answers a GET other than HIT, and the figure is the send time of that GET minus the time
the API's 2xx arrived (so the refill is not counted). Shields cannot be polled that way (an edge's refill
goes through its shield and stores the new copy there first), so for them the figure is the time the
shield reports in its acknowledgement (GET /api/v1/invalidations/{id}, same machine, same clock) minus
the time of the 2xx. Per purge: the slowest node. Prints p50 / p90 / p99 / max over all purges.
"""

import argparse
import http.client
import json
import sys
import threading
import time
import urllib.request

NODES = {"edge-nyc": 8080, "edge-lhr": 8081, "shield-iad": 8082, "shield-ord": 8083}


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


HOST = "127.0.0.1"  # --host: the address the demo binds


class Poller:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection(HOST, port, timeout=10)

    def x_cache(self, path):
        self.conn.request("GET", path)
        r = self.conn.getresponse()
        r.read()
        return r.getheader("X-Cache", "")


def api(token, method, path, body=None):
    req = urllib.request.Request("http://%s:9000/api/v1" % HOST + path, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=10) as r:
        if r.status // 100 != 2:
            raise SystemExit("%s %s answered %d" % (method, path, r.status))
        return json.load(r)


def epoch_ms(iso):
    """2026-11-25T03:20:01.123Z -> epoch milliseconds."""
    from datetime import datetime
    return datetime.strptime(iso.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() * 1000


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--token", required=True, help="admin token (purge scope)")
    ap.add_argument("--purges", type=int, default=100)
    ap.add_argument("--acks-only", action="store_true",
                    help="time every node by its acknowledgement, without pollers loading the machine")
    ap.add_argument("--host", default="127.0.0.1", help="loopback address the demo binds (demo --host)")
    a = ap.parse_args()
    global HOST
    if not a.host.startswith("127."):
        raise SystemExit("loopback only: --host " + a.host)
    HOST = a.host
    if not 1 <= a.purges <= 2000:
        raise SystemExit("bounded: --purges 1..2000")
    pollers = {name: Poller(port) for name, port in NODES.items()}
    tag = "%x" % int(time.time() * 1000)
    worst = []
    per_node = {name: [] for name in NODES}
    for i in range(a.purges):
        path = "/item/%s%d" % (tag[-6:], i)
        for name, p in pollers.items():
            p.x_cache(path)
            if p.x_cache(path) != "HIT":
                raise SystemExit("%s: %s not a hit before the purge" % (name, path))
        answer = api(a.token, "POST", "/purge", {"urls": [path]})
        t0 = time.perf_counter()
        t0_wall_ms = time.time() * 1000
        seen = {}

        def poll(name):
            p = pollers[name]
            while time.perf_counter() - t0 < 5:
                sent = time.perf_counter()
                if p.x_cache(path) != "HIT":
                    seen[name] = (sent - t0) * 1000
                    return

        edges = [] if a.acks_only else [n for n in NODES if n.startswith("edge-")]
        threads = [threading.Thread(target=poll, args=(n,)) for n in edges]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            status = api(a.token, "GET", "/invalidations/%d" % answer["id"])
            acked = {n["name"]: n for n in status["nodes"] if n["status"] == "applied"}
            if all(n in acked for n in NODES if n not in edges):
                for n in NODES:
                    if n not in edges:
                        seen[n] = max(0.0, epoch_ms(acked[n]["appliedAt"]) - t0_wall_ms)
                break
            time.sleep(0.005)
        if len(seen) < len(NODES):
            raise SystemExit("purge of %s not seen on %s within 5 s" % (path, sorted(set(NODES) - set(seen))))
        for name, ms in seen.items():
            per_node[name].append(ms)
        worst.append(max(seen.values()))
    print("purge propagation over %d purges, ms from the API's 2xx (edges: first non-HIT answer; shields: ack time):"
          % a.purges)
    print("%-12s %8s %8s %8s %8s" % ("node", "p50", "p90", "p99", "max"))
    for name, v in per_node.items():
        print("%-12s %8.2f %8.2f %8.2f %8.2f" % (name, percentile(v, 50), percentile(v, 90), percentile(v, 99), max(v)))
    print("%-12s %8.2f %8.2f %8.2f %8.2f" % ("all nodes", percentile(worst, 50), percentile(worst, 90),
                                            percentile(worst, 99), max(worst)))
    print()
    print("per stage on each node (cdn_invalidation_stage_seconds, last ~5 minutes), ms:")
    print("%-12s %-9s %6s %8s %8s %8s" % ("node", "stage", "count", "p50", "p99", "p99.9"))
    rows = [("admin", "wake", q) for q in stage_times(19000, "cdn_admin_longpoll_wake_seconds").values()]
    for name, port in NODES.items():
        rows += [(name, stage, q) for stage, q in stage_times(port + 10000, "cdn_invalidation_stage_seconds").items()]
    for name, stage, q in rows:
        print("%-12s %-9s %6d %8.2f %8.2f %8.2f" % (name, stage, q["count"], q["0.5"] * 1000, q["0.99"] * 1000,
                                                    q["0.999"] * 1000))
    print("(admin wake: its commit notification to each woken long-poll's answer; delivery: the entry's commit to the"
          " node reading it; apply: reading it to its effects in the store)")
    return 0


def stage_times(management_port, metric):
    """{stage: {"count", "0.5", "0.99", "0.999"}} of summary `metric` on a node's /metrics (seconds)."""
    with urllib.request.urlopen("http://%s:%d/metrics" % (HOST, management_port), timeout=10) as r:
        text = r.read().decode()
    out = {}
    for line in text.splitlines():
        if not line.startswith(metric):
            continue
        name_labels, _, value = line.rpartition(" ")
        stage = name_labels.split('stage="')[1].split('"')[0] if 'stage="' in name_labels else "-"
        q = out.setdefault(stage, {"count": 0, "0.5": 0, "0.99": 0, "0.999": 0})
        if "_count" in name_labels:
            q["count"] = int(float(value))
        elif 'quantile="' in name_labels:
            q[name_labels.split('quantile="')[1].split('"')[0]] = float(value)
    return out


if __name__ == "__main__":
    sys.exit(main())
