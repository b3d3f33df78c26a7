#!/usr/bin/env python3
"""Purge propagation on a running demo topology (python3 standard library only). Not a test: it prints
numbers for a closing note; bench/purge-propagation.sh starts the demo and runs this.

For each of --purges rounds: one URL is made a hit on every node (edges nyc :8080 and lhr :8081, shields
iad :8082 and ord :8083), then purged through the admin API (POST /api/v1/purge). One poller per node
sends GETs back to back over a keep-alive connection; a node has applied the purge when it answers a GET
other than HIT, and the figure is the send time of that GET minus the time the API's 2xx arrived (so
the refill is not counted). Per purge: the slowest node. Prints p50 / p90 / p99 / max over all purges.
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


class Poller:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def x_cache(self, path):
        self.conn.request("GET", path)
        r = self.conn.getresponse()
        r.read()
        return r.getheader("X-Cache", "")


def purge(token, path):
    req = urllib.request.Request("http://127.0.0.1:9000/api/v1/purge", method="POST",
                                 data=json.dumps({"urls": [path]}).encode(),
                                 headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=10) as r:
        if r.status // 100 != 2:
            raise SystemExit("purge answered %d" % r.status)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--token", required=True, help="admin token (purge scope)")
    ap.add_argument("--purges", type=int, default=100)
    a = ap.parse_args()
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
        purge(a.token, path)
        t0 = time.perf_counter()
        seen = {}

        def poll(name):
            p = pollers[name]
            while time.perf_counter() - t0 < 5:
                sent = time.perf_counter()
                if p.x_cache(path) != "HIT":
                    seen[name] = (sent - t0) * 1000
                    return

        threads = [threading.Thread(target=poll, args=(n,)) for n in NODES]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if len(seen) < len(NODES):
            raise SystemExit("purge of %s not seen on %s within 5 s" % (path, sorted(set(NODES) - set(seen))))
        for name, ms in seen.items():
            per_node[name].append(ms)
        worst.append(max(seen.values()))
    print("purge propagation over %d purges (ms from the API's 2xx to the first non-HIT answer; every node):" % a.purges)
    print("%-12s %8s %8s %8s %8s" % ("node", "p50", "p90", "p99", "max"))
    for name, v in per_node.items():
        print("%-12s %8.2f %8.2f %8.2f %8.2f" % (name, percentile(v, 50), percentile(v, 90), percentile(v, 99), max(v)))
    print("%-12s %8.2f %8.2f %8.2f %8.2f" % ("all nodes", percentile(worst, 50), percentile(worst, 90),
                                            percentile(worst, 99), max(worst)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
