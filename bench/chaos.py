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
promised), recovery times (to ready, and to caught up: every invalidation admin had logged is applied).

Three scenarios are not kills: diskfull (an edge's store on a small tmpfs that another file fills; needs root),
partition (an edge reaches admin through relays here that then drop everything), slowpg (admin's write statements
take 500 ms more, through a trigger). A GET that finds its kept-alive connection closed by a restarted node is
sent again once on a new connection, as HTTP clients do (counted as "sent again on a new connection").

    python3 bench/chaos.py [--edges 4] [--hold 8] [--scenarios edge,shield,origin,admin,admins,postgres,edge+shield,...]
"""

import argparse
import collections
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

HOST = os.environ.get("FLEET_HOST", "127.0.0.3")
FLEET = os.environ.get("FLEET_DIR", "/tmp/cdn-fleet")
HERE = os.path.dirname(os.path.abspath(__file__))
KILLS = {"edge": ["edge-e01"], "shield": ["shield-s1"], "origin": ["origin"], "admin": ["admin-1"],
         "admins": ["admin-1", "admin-2"], "postgres": ["postgres"]}
# not kills: a full disk on an edge, a partition between an edge and admin, a slow PostgreSQL (run by SPECIAL below)
OTHERS = ("diskfull", "partition", "slowpg")
DEFAULT = ("edge,shield,origin,admin,admins,postgres,edge+shield,shield+origin,admin+postgres,diskfull,partition,"
           "slowpg")


def port_of(name):
    return int(open(os.path.join(FLEET, "nodes", name, "port")).read())


def fleet(*args):
    started = time.time()
    subprocess.run([os.path.join(HERE, "fleet.sh")] + list(args), check=True, stdout=subprocess.DEVNULL)
    return time.time() - started


def psql(sql):
    """Runs sql on the fleet's PostgreSQL (psql from Debian's postgresql-client); returns its output."""
    pg = port_of("postgres")
    return subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(pg), "-U", "postgres", "-d", "postgres", "-qAtc", sql],
                          check=True, capture_output=True, text=True, timeout=60).stdout.strip()


def readiness(name):
    """NAME's /readyz document (on its management port), or None while it does not answer."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port_of(name) + 10000, timeout=2)
        conn.request("GET", "/readyz")
        return json.loads(conn.getresponse().read())
    except (OSError, ValueError, http.client.HTTPException):
        return None


def applied(name):
    doc = readiness(name)
    return doc["checks"]["invalidations"]["lastApplied"] if doc else -1


def caught_up(name, since, limit=60):
    """Seconds from since until NAME has applied every invalidation admin had logged when this was called."""
    newest = int(psql("select coalesce(max(id), 0) from invalidations") or 0)
    deadline = time.time() + limit
    while applied(name) < newest:
        if time.time() > deadline:
            return float("nan")
        time.sleep(0.05)
    return time.time() - since


class TcpProxy:
    """A TCP relay on HOST:port to target, which a scenario turns into a partition or a slow link.

    mode "pass" relays; "drop" relays nothing and answers nothing (bytes sent either way are lost, connections stay
    open: a black hole, as a partition looks to both ends); "delay" holds each chunk delay_s before relaying it."""

    def __init__(self, target_port):
        self.target = target_port
        self.mode, self.delay_s = "pass", 0.0
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind((HOST, 0))
        self.server.listen(256)
        self.port = self.server.getsockname()[1]
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection((HOST, self.target), timeout=5)
            except OSError:
                client.close()
                continue
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._relay, args=(a, b), daemon=True).start()

    def _relay(self, src, dst):
        try:
            while not self.closed:
                data = src.recv(65536)
                if not data:
                    break
                if self.mode == "drop":
                    continue
                if self.mode == "delay":
                    time.sleep(self.delay_s)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self.closed = True
        self.server.close()


def restart_with(name, pattern, replacement, load):
    """Restarts NAME with its run script's pattern replaced (the original is kept as run.sh.orig, for restore)."""
    run = os.path.join(FLEET, "nodes", name, "run.sh")
    shutil.copy(run, run + ".orig")
    text = open(run).read()
    open(run, "w").write(re.sub(pattern, replacement, text))
    restart(name, load)


def restore(name, load):
    run = os.path.join(FLEET, "nodes", name, "run.sh")
    os.replace(run + ".orig", run)
    restart(name, load)


def restart(name, load, while_down=None):
    """SIGKILLs NAME, runs while_down (if any), starts it again; the load leaves it alone meanwhile."""
    load.down.add(port_of(name))
    fleet("kill", name)
    if while_down:
        while_down()
    fleet("start-node", name)
    load.down.discard(port_of(name))


def scenario_diskfull(load, hold):
    """edge-e01's store on an 80 MB tmpfs of its own (its disk budget is 64 MB, and a node refuses to start on less
    room), filled by another file under load, then the file removed: the edge must keep answering, and its disk tier
    must take writes again (it probes every 30 s)."""
    name = "edge-e01"
    cache = os.path.join(FLEET, "nodes", name, "cache")
    restart(name, load, lambda: subprocess.run(["mount", "-t", "tmpfs", "-o", "size=80m", "tmpfs", cache], check=True))
    try:
        filler = os.path.join(cache, "filler")
        with open(filler, "wb") as out:
            try:
                while True:
                    out.write(b"\0" * (1 << 20))
                    out.flush()
            except OSError:
                pass
        filled = time.time()
        time.sleep(hold)
        doc = readiness(name) or {}
        degraded = doc.get("checks", {}).get("store", {}).get("degraded", "")
        os.remove(filler)
        freed = time.time()
        writable = float("nan")  # not within 45 s
        while time.time() < freed + 45:
            doc = readiness(name)
            if doc and not doc["checks"]["store"].get("degraded"):
                writable = time.time() - freed
                break
            time.sleep(0.2)
        print("    %s: disk full for %.1f s (readiness said: %r); writes accepted %.1f s after the room was back"
              % (name, freed - filled, degraded, writable), flush=True)
        return {name + " writable again": writable}
    finally:
        restart(name, load, lambda: subprocess.run(["umount", cache], check=True))


def scenario_partition(load, hold):
    """edge-e01 reaches both admin replicas through relays that then drop everything for hold seconds: purges
    made meanwhile must reach it once the partition heals (caught up: it has applied all admin had logged)."""
    name = "edge-e01"
    proxies = [TcpProxy(port_of(a)) for a in ("admin-1", "admin-2")]
    urls = "\\,".join("http://%s:%d" % (HOST, p.port) for p in proxies)
    try:
        restart_with(name, r"control\.admin-url=\S+", "control.admin-url=" + urls, load)
        time.sleep(2)
        for p in proxies:
            p.mode = "drop"
        time.sleep(hold)
        print("    %s: lag at the end of the partition: %s entries" % (
            name, ((readiness(name) or {}).get("checks", {}).get("invalidations", {}).get("lagEntries"))), flush=True)
        healed = time.time()
        for p in proxies:
            p.mode = "pass"
        return {name + " caught up after the heal": caught_up(name, healed)}
    finally:
        restore(name, load)
        for p in proxies:
            p.close()


def scenario_slowpg(load, hold):
    """Every write statement admin sends PostgreSQL takes 500 ms more (a trigger calling pg_sleep) for hold seconds."""
    tables = psql("select tablename from pg_tables where schemaname = 'public' "
                  "and tablename <> 'flyway_schema_history'").split()
    psql("create or replace function chaos_delay() returns trigger language plpgsql as "
         "$$ begin perform pg_sleep(0.5); return null; end $$")
    try:
        for t in tables:
            psql("create trigger chaos_delay before insert or update or delete on %s "
                 "for each statement execute function chaos_delay()" % t)
        time.sleep(hold)
    finally:
        for t in tables:
            psql("drop trigger if exists chaos_delay on %s" % t)
        psql("drop function if exists chaos_delay()")
    healed = time.time()
    return {n + " caught up": caught_up(n, healed) for n in ("edge-e01", "shield-s1")}


SPECIAL = {"diskfull": scenario_diskfull, "partition": scenario_partition, "slowpg": scenario_slowpg}


class Client:
    """One keep-alive connection per (thread, port); a broken one is reopened on the next call."""

    def __init__(self):
        self.conns = {}
        self.last_error = ""
        self.retried = False

    def request(self, port, method, path, body=None, headers=None, timeout=5):
        """A request; status 0 if it got no answer. An idempotent request that finds its kept-alive connection
        closed by the server before any byte of an answer is sent again on a new connection, as browsers and
        HTTP clients do (RFC 9110, 9.2.2): the node that closed it may have been killed and started again."""
        reused = port in self.conns
        self.retried = False
        status, x_cache, data = self._once(port, method, path, body, headers, timeout)
        if status == 0 and reused and method == "GET" and self.last_error in ("RemoteDisconnected",
                                                                               "ConnectionResetError",
                                                                               "BrokenPipeError"):
            self.retried = True
            status, x_cache, data = self._once(port, method, path, body, headers, timeout)
        return status, x_cache, data

    def _once(self, port, method, path, body, headers, timeout):
        conn = self.conns.get(port)
        if conn is None:
            conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
            self.conns[port] = conn
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            self.last_error = ""
            return r.status, r.getheader("X-Cache", ""), data
        except (OSError, http.client.HTTPException) as e:
            self.last_error = type(e).__name__
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
        self.notes = []
        self.down = set()  # edges killed: clients go elsewhere, as a router or load balancer sends them

    def edge(self):
        return random.choice([e for e in self.edges if e not in self.down] or self.edges)

    def count(self, key):
        with self.lock:
            self.counts[key] += 1

    def note(self, line):
        """Details of a failure, printed with its scenario's line (at most 20 per scenario)."""
        with self.lock:
            if len(self.notes) < 20:
                self.notes.append("%.3f %s" % (time.time(), line))

    def hits(self):
        c = Client()
        while not self.stop.is_set():
            path = random.choice(self.hot)
            port = self.edge()
            status, _, body = c.request(port, "GET", path)
            if c.retried:
                self.count("sent again on a new connection")
            if status != 200 and port in self.down:
                self.count("hot lost with a killed edge")  # in flight when it died: reported, not a failure
            elif status != 200:
                self.count("hot errors")
                self.note("hot error: %s on :%d -> %d %s %s" % (path, port, status, c.last_error, body[:120]))
            elif hashlib.sha256(body).hexdigest() != self.digests[path]:
                self.count("corrupt")
            else:
                self.count("hot ok")

    def misses(self):
        c = Client()
        n = random.randrange(10 ** 9) * 1000
        while not self.stop.is_set():
            n += 1
            port = self.edge()
            status, _, body = c.request(port, "GET", "/item/%d" % n)
            if c.retried:
                self.count("sent again on a new connection")
            self.count("miss ok" if status == 200 else "miss errors")
            if status != 200:
                self.note("miss error: /item/%d on :%d -> %d %s %s" % (n, port, status, c.last_error, body[:120]))
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


def kill_and_restart(victims, load, hold):
    """SIGKILLs victims, holds, starts them again (PostgreSQL first); returns each one's time to ready and, for a
    proxy node, to caught up (it has applied every invalidation admin had logged when it was ready)."""
    for v in victims:
        if v.startswith("edge-"):
            load.down.add(port_of(v))
        fleet("kill", v)
    time.sleep(hold)
    recovery = {}
    for v in (["postgres"] if "postgres" in victims else []) + [v for v in victims if v != "postgres"]:
        started = time.time()
        recovery[v] = fleet("start-node", v)
        if v.startswith(("edge-", "shield-")):
            recovery[v + " caught up"] = caught_up(v, started)
        load.down.discard(port_of(v))
    return recovery


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edges", type=int, default=4)
    ap.add_argument("--hold", type=float, default=8)
    ap.add_argument("--hot", type=int, default=50)
    ap.add_argument("--scenarios", default=DEFAULT)
    args = ap.parse_args()
    scenarios = args.scenarios.split(",")
    for s in scenarios:
        for part in ([s] if s in SPECIAL else s.split("+")):
            if part not in KILLS and part not in SPECIAL:
                raise SystemExit("unknown scenario %s (known: %s)" % (part, ", ".join(list(KILLS) + list(SPECIAL))))
    if not (1 <= args.edges <= 20 and 1 <= args.hold <= 60 and len(scenarios) <= 20):
        raise SystemExit("bounded: --edges 1..20, --hold 1..60 s, at most 20 scenarios")
    nodes = sorted(os.listdir(os.path.join(FLEET, "nodes")))
    if any(n.startswith("pack-") for n in nodes):
        raise SystemExit("chaos kills one node at a time: start the fleet with a JVM per node (without FLEET_PACKS)")
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
    pool_size = int(len(scenarios) * (args.hold + 60) * 10) + 100
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
        before = dict(load.counts)
        if scenario in SPECIAL:
            recovery = SPECIAL[scenario](load, args.hold)
        else:
            recovery = kill_and_restart([v for part in scenario.split("+") for v in KILLS[part]], load, args.hold)
        time.sleep(3)
        delta = {k: load.counts[k] - before.get(k, 0) for k in load.counts}
        print("%-16s %s | recovery %s" % (scenario, " ".join("%s=%d" % kv for kv in sorted(delta.items())),
                                           ", ".join("%s %.1f s" % kv for kv in recovery.items())), flush=True)
        with load.lock:
            for line in load.notes:
                print("    " + line, flush=True)
            load.notes.clear()
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
