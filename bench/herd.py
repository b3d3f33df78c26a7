#!/usr/bin/env python3
"""Herd and shield-hop benchmark for a running edge/shield topology (python3 standard library only).

Not a test: it prints numbers for a closing note. bench/herd.sh starts the topology and runs this.

  herd   For each of --keys fresh keys, --clients clients spread over the edges open their connections,
         then all send at the same instant a request whose origin answer takes --delay-ms. Prints client
         requests, complete 200s, origin requests (from the origin's counters) and response times.
  hop    --hop-requests sequential requests, each for a fresh 1 KiB key, over keep-alive connections:
           direct   edge -> origin                     (an edge without a shield tier)
           tier     edge -> shield -> origin           (edge miss, shield miss)
           shield   another edge -> shield (hit)       (edge miss, shield hit)
           edge     edge hit
         The added latency of the shield hop is tier - direct (the extra hop on a full miss).
"""

import argparse
import http.client
import json
import statistics
import socket
import sys
import threading
import time
import urllib.parse
import urllib.request


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def origin_count(origin, path):
    with urllib.request.urlopen(origin + "/__origin_stats?path=" + urllib.parse.quote(path), timeout=10) as r:
        return json.load(r)["count"]


def read_response(sock, deadline):
    buf = b""
    while b"\r\n\r\n" not in buf:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v.strip())
    got = len(rest)
    while got < length:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            return None
        got += len(chunk)
    return status


def herd(edges, origin, clients, keys, delay_ms, tag):
    print("herd: %d clients over %d edges, %d fresh keys, origin delay %d ms" % (clients, len(edges), keys, delay_ms))
    print("%-28s %8s %8s %8s %9s %9s" % ("key", "clients", "200s", "origin", "p50 ms", "max ms"))
    total_clients = total_origin = 0
    for k in range(keys):
        path = "/obj/1k/herd-%s-%d" % (tag, k)
        target = path + "?delay_ms=%d" % delay_ms
        socks = []
        for i in range(clients):
            u = urllib.parse.urlsplit(edges[i % len(edges)])
            s = socket.create_connection((u.hostname, u.port), timeout=10)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            socks.append((s, u.netloc))
        barrier = threading.Barrier(clients)
        results = [None] * clients

        def run(i):
            s, host = socks[i]
            request = ("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % (target, host)).encode()
            barrier.wait(timeout=30)
            start = time.monotonic()
            try:
                s.sendall(request)
                status = read_response(s, start + 30)
            except OSError:
                status = None
            results[i] = (status, (time.monotonic() - start) * 1000)
            s.close()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        ok = sum(1 for r in results if r and r[0] == 200)
        times = [r[1] for r in results if r]
        n = origin_count(origin, path)
        total_clients += clients
        total_origin += n
        print("%-28s %8d %8d %8d %9.1f %9.1f" % (path, clients, ok, n, statistics.median(times), max(times)))
    print("herd total: %d client requests, %d origin requests" % (total_clients, total_origin))
    return total_clients, total_origin


def timed_gets(base, paths):
    u = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    out = []
    for p in paths:
        start = time.perf_counter()
        conn.request("GET", p)
        r = conn.getresponse()
        r.read()
        out.append((time.perf_counter() - start) * 1000)
        if r.status != 200:
            raise SystemExit("GET %s%s -> %d" % (base, p, r.status))
    conn.close()
    return out


def hop(direct, edge_a, edge_b, n, tag):
    # untimed warm-up on other fresh keys: every path below runs JIT-compiled code, as in production
    for base in (direct, edge_a, edge_b):
        warm = ["/obj/1k/hop-%s-warm-%s-%d" % (tag, urllib.parse.urlsplit(base).port, i) for i in range(2000)]
        timed_gets(base, warm)
        timed_gets(base, warm[:500])
    keys_direct = ["/obj/1k/hop-%s-d%d" % (tag, i) for i in range(n)]
    keys_tier = ["/obj/1k/hop-%s-t%d" % (tag, i) for i in range(n)]
    rows = [
        ("direct: edge -> origin (miss)", timed_gets(direct, keys_direct)),
        ("tier: edge -> shield -> origin (miss, miss)", timed_gets(edge_a, keys_tier)),
        ("shield hit: other edge -> shield (miss, hit)", timed_gets(edge_b, keys_tier)),
        ("edge hit", timed_gets(edge_a, keys_tier)),
    ]
    print("hop: %d sequential 1 KiB requests per row, keep-alive, times in ms" % n)
    print("%-46s %8s %8s %8s" % ("path", "p50", "p90", "p99"))
    for name, t in rows:
        print("%-46s %8.2f %8.2f %8.2f" % (name, percentile(t, 50), percentile(t, 90), percentile(t, 99)))
    added = percentile(rows[1][1], 50) - percentile(rows[0][1], 50)
    print("added latency of the shield hop (p50 tier - p50 direct): %.2f ms" % added)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--edges", required=True, help="comma-separated edge URLs of the tier (two or more)")
    ap.add_argument("--direct", required=True, help="URL of an edge that goes straight to the origin")
    ap.add_argument("--origin", required=True, help="origin URL (bench origin.py, for its counters)")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--keys", type=int, default=5)
    ap.add_argument("--delay-ms", type=int, default=300)
    ap.add_argument("--hop-requests", type=int, default=500)
    a = ap.parse_args()
    if not 1 <= a.clients <= 1000 or not 0 <= a.keys <= 50 or not 1 <= a.hop_requests <= 10000:
        raise SystemExit("bounded loops: --clients 1..1000, --keys 0..50 (0: hop rows only), --hop-requests 1..10000")
    edges = a.edges.split(",")
    for url in edges + [a.direct, a.origin]:
        host = urllib.parse.urlsplit(url).hostname
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("loopback targets only: " + url)
    tag = "%x" % int(time.time() * 1000)
    if a.keys:
        herd(edges, a.origin, a.clients, a.keys, a.delay_ms, tag)
        print()
    hop(a.direct, edges[0], edges[1 % len(edges)], a.hop_requests, tag)


if __name__ == "__main__":
    sys.exit(main())
