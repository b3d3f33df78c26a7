#!/usr/bin/env python3
"""Keys moved when a shield joins a running bench/fleet.sh fleet (issue 17; python3 standard library only).

--keys fresh keys are requested through the first edge; each response's Cache-Status names the shield the edge's
ring chose (its first member). Then bench/fleet.sh add-shield starts one more shield, which registers with admin;
the edges follow admin's registry (upstream.shields-from-registry), so once the new shield is healthy their rings
include it. When a probe key through the second edge lands on it, the same keys are requested through the third
edge (a miss there, so it asks the shield its ring picks now). Prints the fraction of keys whose shield changed, and
where they went: with consistent hashing about 1/(n+1) move, all of them to the new shield.

    python3 bench/fleet-shield-move.py [--keys 2000] [--new shield-s5]
"""

import argparse
import collections
import http.client
import os
import subprocess
import time

HOST = os.environ.get("FLEET_HOST", "127.0.0.3")


def shield_of(port, path):
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    conn.request("GET", path)
    r = conn.getresponse()
    r.read()
    conn.close()
    if r.status != 200:
        raise SystemExit("GET %s on :%d answered %d" % (path, port, r.status))
    return r.getheader("Cache-Status", "").split(";")[0].strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=2000)
    ap.add_argument("--new", default="shield-s5")
    ap.add_argument("--fleet-dir", default=os.environ.get("FLEET_DIR", "/tmp/cdn-fleet"))
    args = ap.parse_args()
    if not 10 <= args.keys <= 20000:
        raise SystemExit("--keys 10..20000")
    nodes = os.path.join(args.fleet_dir, "nodes")
    edges = [int(open(os.path.join(nodes, n, "port")).read()) for n in sorted(os.listdir(nodes)) if n.startswith("edge-")]
    if len(edges) < 3:
        raise SystemExit("needs 3 edges")
    base = int(time.time()) % 100000 * 100000
    keys = ["/item/%d" % (base + i) for i in range(args.keys)]
    before = {k: shield_of(edges[0], k) for k in keys}
    shields_before = sorted(set(before.values()))
    print("before: %d keys over %s: %s" % (len(keys), len(shields_before),
                                            dict(sorted(collections.Counter(before.values()).items()))))
    started = time.time()
    subprocess.run([os.path.join(os.path.dirname(os.path.abspath(__file__)), "fleet.sh"), "add-shield", args.new], check=True)
    probe = 0
    while True:  # until the edges' rings include the new shield (bounded)
        probe += 1
        if shield_of(edges[1], "/item/%d" % (base + args.keys + probe)) == args.new:
            break
        if time.time() - started > 120:
            raise SystemExit("no key reached %s within 120 s of its start" % args.new)
    print("%s in the edges' rings %.1f s after its start (probe %d)" % (args.new, time.time() - started, probe))
    after = {k: shield_of(edges[2], k) for k in keys}
    moved = [k for k in keys if after[k] != before[k]]
    to = collections.Counter(after[k] for k in moved)
    print("after: %s" % dict(sorted(collections.Counter(after.values()).items())))
    print("moved: %d of %d keys (%.3f; 1/%d = %.3f), to %s" % (len(moved), len(keys), len(moved) / len(keys),
                                                             len(shields_before) + 1, 1 / (len(shields_before) + 1),
                                                             dict(to)))


if __name__ == "__main__":
    main()
