#!/usr/bin/env python3
"""Runs every query of ops/grafana/blue-origin-cdn.json against a live Prometheus (default 127.0.0.1:9090)
scraping the demo (ops/prometheus.yml), and lists the ones that fail or return nothing.

    python3 scripts/check-dashboard-queries.py [http://127.0.0.1:9090]

Grafana's variables are replaced by fixed values ($__rate_interval -> 1m, $__range -> 5m, $role/$pop -> .*).
An empty result is not an error in itself: a shield with no hits has no hit ratio yet. Exit status 1 when a
query is refused.
"""
import json
import pathlib
import sys
import urllib.error
import urllib.parse
import urllib.request

PROMETHEUS = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:9090"
DASHBOARD = pathlib.Path(__file__).resolve().parent.parent / "ops" / "grafana" / "blue-origin-cdn.json"
SUBSTITUTIONS = [("$__rate_interval", "1m"), ("$__interval", "1m"), ("$__range", "5m"), ("${role}", ".*"),
                 ("$role", ".*"), ("${pop}", ".*"), ("$pop", ".*")]


def panels(items):
    for p in items:
        yield p
        yield from panels(p.get("panels", []))


def main():
    answered, empty, refused = 0, [], []
    for panel in panels(json.loads(DASHBOARD.read_text())["panels"]):
        for target in panel.get("targets", []):
            query = target.get("expr")
            if not query:
                continue
            for variable, value in SUBSTITUTIONS:
                query = query.replace(variable, value)
            url = PROMETHEUS + "/api/v1/query?" + urllib.parse.urlencode({"query": query})
            try:
                with urllib.request.urlopen(url, timeout=10) as r:
                    result = json.load(r)["data"]["result"]
            except urllib.error.HTTPError as e:
                refused.append((panel["title"], query, e.read().decode(errors="replace")))
                continue
            if result:
                answered += 1
            else:
                empty.append((panel["title"], query))
    print(f"{answered} queries answered with data, {len(empty)} empty, {len(refused)} refused")
    for title, query in empty:
        print(f"empty:   {title}: {query}")
    for title, query, why in refused:
        print(f"refused: {title}: {query}: {why}")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
