#!/usr/bin/env python3
"""Chaos on a running bench/fleet.sh fleet (issue 17; python3 standard library only, loopback only, bounded in time).

A steady mixed load runs throughout: hits over a hot set of 1 KiB /static objects on the first --edges edges, misses
(fresh /item/<n>) on the same edges, and a purge every 100 ms through admin's API (either replica) of one object of
a purge pool that was cached on those edges and every shield before the run and is never requested again. One at a
time, then in pairs, each scenario SIGKILLs nodes (bench/fleet.sh kill), holds --hold seconds, starts them again
(bench/fleet.sh start-node, which waits until each is ready) and notes the recovery time.

Checks, printed per scenario and in total (exit status 1 if any fails):
  - lost purges: after the last scenario, every pool object whose purge got a 202 is asked of every shield and
    then of every loaded edge; a HIT is an object older than an acknowledged purge (nothing else requested it);
  - corrupt bodies: every 200 of a hot object is compared (SHA-256) with the origin's own bytes;
  - errors on cached objects: a hot-object request that is not a 200 (while the origin is down, too); the load
    leaves a killed edge alone until it is ready again, as a router or load balancer would;
Reported, not checked: errors on misses (uncached objects need the origin), purges refused (no 202: nothing was
promised), recovery times.

    python3 bench/chaos.py [--edges 4] [--hold 8] [--scenarios edge,shield,origin,admin,admins,postgres,edge+shield,...]
"""

import argparse
import collections
import hashlib
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time

HOST = os.environ.get("FLEET_HOST", "127.0.0.3")
FLEET = os.environ.get("FLEET_DIR", "/tmp/cdn-fleet")
HERE = os.path.dirname(os.path.abspath(__file__))
KILLS = {"edge": ["edge-e01"], "shield": ["shield-s1"], "origin": ["origin"], "admin": ["admin-1"],
         "admins": ["admin-1", "admin-2"], "postgres": ["postgres"]}
DEFAULT = "edge,shield,origin,admin,admins,postgres,edge+shield,shield+origin,admin+postgres"


def port_of(name):
    return int(open(os.path.join(FLEET, "nodes", name, "port")).read())


def fleet(*args):
    started = time.time()
    subprocess.run([os.path.join(HERE, "fleet.sh")] + list(args), check=True, stdout=subprocess.DEVNULL)
    return time.time() - started


class Client:
    """One keep-alive connection per (thread, port); a broken one is reopened on the next call."""

    def __init__(self):
        self.conns = {}

    def request(self, port, method, path, body=None, headers=None, timeout=5):
        conn = self.conns.get(port)
        if conn is None:
            conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
            self.conns[port] = conn
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            return r.status, r.getheader("X-Cache", ""), data
        except (OSError, http.client.HTTPException):
            conn.close()
            self.conns.pop(port, None)
            return 0, "", b""


class Load:
    def __init__(self, edges, hot, digests, pool, admins, token):
        self.edges, self.hot, self.digests, self.pool = edges, hot, digests, list(pool)
        self.admins, self.token = admins, token
        self.counts = collections.Counter()
        self.purged = []  # (path, time of the 202)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.down = set()  # edges killed: clients go elsewhere, as a router or load balancer sends them

    def edge(self):
        return random.choice([e for e in self.edges if e not in self.down] or self.edges)

    def count(self, key):
        with self.lock:
            self.counts[key] += 1

    def hits(self):
        c = Client()
        while not self.stop.is_set():
            path = random.choice(self.hot)
            port = self.edge()
            status, _, body = c.request(port, "GET", path)
            if status != 200 and port in self.down:
                self.count("hot lost with a killed edge")  # in flight when it died: reported, not a failure
            elif status != 200:
                self.count("hot errors")
            elif hashlib.sha256(body).hexdigest() != self.digests[path]:
                self.count("corrupt")
            else:
                self.count("hot ok")

    def misses(self):
        c = Client()
        n = random.randrange(10 ** 9) * 1000
        while not self.stop.is_set():
            n += 1
            status, _, _ = c.request(self.edge(), "GET", "/item/%d" % n)
            self.count("miss ok" if status == 200 else "miss errors")
            time.sleep(0.02)

    def purges(self):
        c = Client()
        while not self.stop.is_set() and self.pool:
            path = self.pool.pop()
            answered = False
            for port in self.admins:
                status, _, _ = c.request(port, "POST", "/api/v1/purge", json.dumps({"urls": [path]}),
                                         {"Authorization": "Bearer " + self.token, "Content-Type": "application/json"})
                if status == 202:
                    with self.lock:
                        self.purged.append((path, time.time()))
                    self.count("purges 202")
                    answered = True
                    break
                if status != 0:
                    break  # admin answered (e.g. 503 without its database): nothing was promised
            if not answered:
                self.count("purges refused")
            self.stop.wait(0.1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edges", type=int, default=4)
    ap.add_argument("--hold", type=float, default=8)
    ap.add_argument("--hot", type=int, default=50)
    ap.add_argument("--scenarios", default=DEFAULT)
    args = ap.parse_args()
    scenarios = args.scenarios.split(",")
    for s in scenarios:
        for part in s.split("+"):
            if part not in KILLS:
                raise SystemExit("unknown scenario %s (known: %s)" % (part, ", ".join(KILLS)))
    if not (1 <= args.edges <= 20 and 1 <= args.hold <= 60 and len(scenarios) <= 20):
        raise SystemExit("bounded: --edges 1..20, --hold 1..60 s, at most 20 scenarios")
    nodes = sorted(os.listdir(os.path.join(FLEET, "nodes")))
    edges = [port_of(n) for n in nodes if n.startswith("edge-")][:args.edges]
    shields = [port_of(n) for n in nodes if n.startswith("shield-")]
    admins = [port_of(n) for n in nodes if n.startswith("admin-")]
    origin = port_of("origin")
    token = open(os.path.join(FLEET, "admin.token")).read().strip()
    c = Client()
    base = random.randrange(1000, 9000) * 100
    # the origin's own delay (50 ms) is waived for these objects: warming thousands of them would take minutes
    # 1 KiB each, told apart by a query parameter the origin ignores, so that all of them stay cached
    hot = ["/static/1k?delay_ms=0&k=%d" % (base + i) for i in range(args.hot)]
    digests = {}
    for path in hot:
        status, _, body = c.request(origin, "GET", path)
        assert status == 200, (path, status)
        digests[path] = hashlib.sha256(body).hexdigest()
    pool_size = int(len(scenarios) * (args.hold + 25) * 10) + 100
    pool = ["/static/1k?delay_ms=0&k=%d" % (base + 5000 + i) for i in range(pool_size)]
    print("chaos: warming %d hot and %d purge-pool objects on %d edges and %d shields" % (len(hot), len(pool), len(edges),
                                                                                     len(shields)))
    def warm(port):
        mine = Client()
        for path in hot + pool:
            mine.request(port, "GET", path)
    warmers = [threading.Thread(target=warm, args=(port,)) for port in edges + shields]
    for t in warmers:
        t.start()
    for t in warmers:
        t.join()
    load = Load(edges, hot, digests, pool, admins, token)
    threads = [threading.Thread(target=f, daemon=True) for f in (load.hits, load.hits, load.misses, load.purges)]
    for t in threads:
        t.start()
    deadline = time.time() + 900
    for scenario in scenarios:
        if time.time() > deadline:
            raise SystemExit("gave up: 900 s")
        victims = [v for part in scenario.split("+") for v in KILLS[part]]
        before = dict(load.counts)
        for v in victims:
            if v.startswith("edge-"):
                load.down.add(port_of(v))
            fleet("kill", v)
        time.sleep(args.hold)
        recovery = {}
        for v in (["postgres"] if "postgres" in victims else []) + [v for v in victims if v != "postgres"]:
            recovery[v] = fleet("start-node", v)
            load.down.discard(port_of(v))
        time.sleep(3)
        delta = {k: load.counts[k] - before.get(k, 0) for k in load.counts}
        print("%-16s %s | recovery %s" % (scenario, " ".join("%s=%d" % kv for kv in sorted(delta.items())),
                                           ", ".join("%s %.1f s" % kv for kv in recovery.items())), flush=True)
    load.stop.set()
    for t in threads:
        t.join(15)
    time.sleep(2)  # the last purges' acks
    lost = []
    for path, _ in load.purged:
        for port in shields + edges:
            status, x_cache, _ = c.request(port, "GET", path)
            if x_cache == "HIT":
                lost.append((path, port))
                break
    total = load.counts
    print("total: %s" % " ".join("%s=%d" % kv for kv in sorted(total.items())))
    print("lost purges: %d of %d acknowledged; corrupt bodies: %d; errors on cached objects: %d"
          % (len(lost), len(load.purged), total["corrupt"], total["hot errors"]))
    for path, port in lost[:10]:
        print("  lost: %s still a HIT on :%d" % (path, port))
    sys.exit(1 if lost or total["corrupt"] or total["hot errors"] else 0)


if __name__ == "__main__":
    main()
