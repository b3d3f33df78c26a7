#!/usr/bin/env bash
# Installs Blue Origin CDN on a Debian/Ubuntu VM (run as root, from anywhere):
#
#   ops/install.sh [--jar PATH] [--root DIR]
#
#   --jar PATH   the launcher jar (default: launcher/target/blue-origin.jar of this repository, built by
#                mvn -q -pl launcher -am package -DskipTests)
#   --root DIR   install into DIR instead of / (a scratch tree for tests or image building): the user and
#                group go into DIR/etc/passwd and DIR/etc/group (useradd/groupadd --prefix), and systemctl
#                is not called; nothing outside DIR changes
#
# What it does, each step only when it is not done already (a second run changes nothing and keeps the
# secrets and any edited config):
#   - system group and user blue-origin (no login shell, no home)
#   - /opt/blue-origin/blue-origin.jar (replaced when the given jar differs)
#   - /etc/blue-origin/<role>.yaml from ops/examples/ (edge, shield, admin, router; never overwritten)
#   - /etc/blue-origin/<role>.env from ops/systemd/env/, mode 0640 root:blue-origin, admin's database
#     password generated (never overwritten)
#   - /etc/systemd/system/cdn-<role>.service from ops/systemd/ (replaced when the repository's differs),
#     then systemctl daemon-reload
#   - /var/lib/blue-origin (the units' StateDirectory=, created early so the router's GeoIP database can
#     be put there before the first start)
# No unit is enabled or started: that is `systemctl enable --now cdn-edge` (ops/README.md, "Install on a VM").
set -euo pipefail

ROLES=(edge shield admin router)
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$REPO/launcher/target/blue-origin.jar
ROOT=

die() { echo "install.sh: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case $1 in
    --jar) [ $# -ge 2 ] || die "--jar needs a path"; JAR=$2; shift 2 ;;
    --root) [ $# -ge 2 ] || die "--root needs a directory"; ROOT=$(realpath -m "$2"); shift 2 ;;
    -h|--help) sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (expected --jar PATH or --root DIR)" ;;
  esac
done

[ "$(id -u)" = 0 ] || die "run as root (sudo $0 ...): it creates a system user and root-owned files"
[ -f "$JAR" ] || die "no jar at $JAR: build it (mvn -q -pl launcher -am package -DskipTests) or pass --jar PATH"
if [ -n "$ROOT" ]; then
  [ "$ROOT" != / ] || die "--root / is the live system: leave --root out instead"
  mkdir -p "$ROOT"
fi

changed() { echo "  changed: $*"; }

# --- user and group --------------------------------------------------------------------------------------
if [ -n "$ROOT" ]; then
  mkdir -p "$ROOT/etc"
  touch "$ROOT/etc/passwd" "$ROOT/etc/group"
  PREFIX=(--prefix "$ROOT")
  group_gid() { awk -F: '$1 == "blue-origin" { print $3 }' "$ROOT/etc/group"; }
  user_exists() { awk -F: '$1 == "blue-origin" { found = 1 } END { exit !found }' "$ROOT/etc/passwd"; }
else
  PREFIX=()
  group_gid() { getent group blue-origin | cut -d: -f3; }
  user_exists() { getent passwd blue-origin >/dev/null; }
fi
if [ -z "$(group_gid)" ]; then
  groupadd "${PREFIX[@]}" --system blue-origin
  changed "group blue-origin"
fi
if ! user_exists; then
  useradd "${PREFIX[@]}" --system --gid blue-origin --home-dir /nonexistent --no-create-home \
    --shell /usr/sbin/nologin --comment "Blue Origin CDN" blue-origin
  changed "user blue-origin"
fi
GID=$(group_gid)
UID_=$(awk -F: '$1 == "blue-origin" { print $3 }' "${ROOT:-}/etc/passwd")
[ -n "$UID_" ] || UID_=$(id -u blue-origin)

# --- files ------------------------------------------------------------------------------------------------
# put SRC DEST MODE OWNER: installs SRC as DEST when DEST is missing or differs (units, the jar).
put() {
  if ! cmp -s "$1" "$2"; then
    install -D -m "$3" -o "${4%:*}" -g "${4#*:}" "$1" "$2"
    changed "$2"
  fi
}
# keep SRC DEST MODE: installs SRC as DEST (root:blue-origin) only when DEST is missing (the operator's files).
keep() {
  if [ ! -e "$2" ]; then
    install -D -m "$3" -o 0 -g "$GID" "$1" "$2"
    changed "$2"
  fi
}

install -d -m 0755 -o 0 -g 0 "$ROOT/opt/blue-origin"
put "$JAR" "$ROOT/opt/blue-origin/blue-origin.jar" 0644 0:0

install -d -m 0750 -o 0 -g "$GID" "$ROOT/etc/blue-origin"
install -d -m 0750 -o "$UID_" -g "$GID" "$ROOT/var/lib/blue-origin"
for role in "${ROLES[@]}"; do
  keep "$REPO/ops/examples/$role.yaml" "$ROOT/etc/blue-origin/$role.yaml" 0640
  if [ ! -e "$ROOT/etc/blue-origin/$role.env" ]; then
    env=$(mktemp)
    # a 32-character password of letters and digits: safe unquoted in an environment file and a SQL literal
    secret=$(head -c 1024 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9')
    secret=${secret:0:32}
    sed "s/@GENERATED@/$secret/" "$REPO/ops/systemd/env/$role.env" >"$env"
    keep "$env" "$ROOT/etc/blue-origin/$role.env" 0640
    rm -f "$env"
  fi
  put "$REPO/ops/systemd/cdn-$role.service" "$ROOT/etc/systemd/system/cdn-$role.service" 0644 0:0
done

if [ -z "$ROOT" ]; then
  systemctl daemon-reload
fi
echo "install.sh: done${ROOT:+ (under $ROOT)}. Next: put the node tokens in /etc/blue-origin/<role>.env, check"
echo "  /etc/blue-origin/<role>.yaml, then systemctl enable --now cdn-<role> (ops/README.md, \"Install on a VM\")."
