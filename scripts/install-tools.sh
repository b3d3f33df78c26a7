#!/usr/bin/env bash
# Installs the Debian packages the README's commands and the tests use beyond a JDK and Maven:
#   dig (bind9-dnsutils): the router's DNS answers, `dig @127.0.0.1 -p 5353 cdn.demo.test`
#   psql (postgresql-client): the reporting queries in ops/sql/ (docs/reporting.md) and SqlReportsIT, which runs them
#   chromium + chromedriver (chromium, chromium-driver): the console's browser tests (ConsoleBrowserIT, Selenium)
# Idempotent; needs root (or sudo) on Debian/Ubuntu. .ci/run calls it when a tool is missing.
set -euo pipefail
missing=()
command -v dig >/dev/null 2>&1 || missing+=(bind9-dnsutils)
psql --version >/dev/null 2>&1 || missing+=(postgresql-client)  # the pg_wrapper alone fails
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-tools: nothing to install"
    exit 0
fi
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-tools: installed ${missing[*]}"
