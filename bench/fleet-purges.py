#!/usr/bin/env python3
"""Purge propagation over a running bench/fleet.sh fleet (issue 17; python3 standard library only). Not a test:
it prints numbers for docs/scale-out.md.

For each of --purges rounds: the URL is made a hit on --warm edges, purged through admin's API (POST
/api/v1/purge, on the first admin replica that answers), and admin's status of that purge
(GET /api/v1/invalidations/{id}) is read until every registered node has acknowledged it. The figure per purge is
the last node's appliedAt (the time the node applied it, its clock; every node runs on this machine) minus the
time the API's 202 arrived here, i.e. from the 202 to the last node's ack. Prints p50 / p90 / p99 / max over all
purges, and the time until admin had recorded every ack (what an operator polling the status would see).

    python3 bench/fleet-purges.py [--purges 500] [--warm 2] [--fleet-dir /tmp/cdn-fleet]
"""

import argparse
import http.client
import json
import os
import time
from datetime import datetime


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def epoch_ms(iso):
    """2026-11-25T03:20:01.123Z (or .123456Z, or no fraction) -> epoch milliseconds."""
    iso = iso.replace("Z", "+0000")
    fmt = "%Y-%m-%dT%H:%M:%S.%f%z" if "." in iso else "%Y-%m-%dT%H:%M:%S%z"
    return datetime.strptime(iso, fmt).timestamp() * 1000


class Api:
    def __init__(self, urls, token):
        self.urls = urls
        self.token = token
        self.conns = {}

    def call(self, method, path, body=None):
        last = None
        for url in self.urls:  # the first replica that answers, like a node's agent
            host, port = url.split("//")[1].split(":")
            try:
                conn = self.conns.get(url) or http.client.HTTPConnection(host, int(port), timeout=10)
                self.conns[url] = conn
                conn.request(method, "/api/v1" + path, body=None if body is None else json.dumps(body),
                             headers={"Content-Type": "application/json", "Authorization": "Bearer " + self.token})
                r = conn.getresponse()
                data = r.read()
                if r.status // 100 == 2:
                    return json.loads(data) if data else {}
                last = "%s %s answered %d: %s" % (method, path, r.status, data[:200])
            except (OSError, http.client.HTTPException) as e:
                self.conns.pop(url, None)
                last = "%s: %s" % (url, e)
        raise SystemExit("admin: " + str(last))


def get(host, port, path):
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", path)
    r = conn.getresponse()
    r.read()
    conn.close()
    return r.getheader("X-Cache", "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--purges", type=int, default=500)
    ap.add_argument("--warm", type=int, default=2, help="edges on which each URL is made a hit first")
    ap.add_argument("--fleet-dir", default=os.environ.get("FLEET_DIR", "/tmp/cdn-fleet"))
    args = ap.parse_args()
    if not 1 <= args.purges <= 5000:
        raise SystemExit("--purges 1..5000")
    nodes_dir = os.path.join(args.fleet_dir, "nodes")
    host = os.environ.get("FLEET_HOST", "127.0.0.3")
    admins = ["http://%s:%s" % (host, open(os.path.join(nodes_dir, n, "port")).read().strip())
              for n in sorted(os.listdir(nodes_dir)) if n.startswith("admin-")]
    edges = [int(open(os.path.join(nodes_dir, n, "port")).read().strip())
             for n in sorted(os.listdir(nodes_dir)) if n.startswith("edge-")]
    api = Api(admins, open(os.path.join(args.fleet_dir, "admin.token")).read().strip())
    # the fleet's own nodes (bench/AgentSim.java's simulated ones, named sim-*, are left out: they may be gone)
    fleet = {n["name"] for n in api.call("GET", "/nodes")["nodes"] if not n["name"].startswith("sim-")}
    expected = len(fleet)
    print("fleet purges: %d purges, %d nodes registered, admins %s, URL warmed on %d edge(s) first"
          % (args.purges, expected, ",".join(admins), args.warm))
    to_last_ack, to_admin = [], []
    base = int(time.time()) % 100000 * 10000
    deadline = time.time() + 600
    for i in range(args.purges):
        if time.time() > deadline:
            raise SystemExit("gave up after 600 s at purge %d" % i)
        path = "/item/%d" % (base + i)
        for port in edges[:args.warm]:
            get(host, port, path)
        answer = api.call("POST", "/purge", {"urls": [path]})
        t202 = time.time() * 1000
        ident = answer["id"]
        give_up = time.time() + 10
        while True:
            status = api.call("GET", "/invalidations/%d" % ident)
            # a node shows "applied" from its heartbeat's progress before its ack (with appliedAt) arrives: wait for the ack
            applied = [n for n in status["nodes"] if n["status"] == "applied" and n.get("appliedAt") and n["name"] in fleet]
            if len(applied) >= expected:
                to_admin.append(time.time() * 1000 - t202)
                to_last_ack.append(max(0.0, max(epoch_ms(n["appliedAt"]) for n in applied) - t202))
                break
            if time.time() > give_up:
                raise SystemExit("purge %d (%s): %d of %d nodes acknowledged after 10 s: %s" % (
                    ident, path, len(applied), expected,
                    sorted(fleet - {n["name"] for n in applied})))
            time.sleep(0.005)
    print("%-34s %8s %8s %8s %8s" % ("ms after the 202", "p50", "p90", "p99", "max"))
    for name, values in (("last node's ack (appliedAt)", to_last_ack), ("every ack recorded by admin", to_admin)):
        print("%-34s %8.2f %8.2f %8.2f %8.2f" % (name, percentile(values, 50), percentile(values, 90),
                                                 percentile(values, 99), max(values)))


if __name__ == "__main__":
    main()
