#!/usr/bin/env bash
# Makes a Jetty base that runs one Blue Origin node from its WAR in a stock Jetty 12.1 distribution
# (jetty-home): the http and ee10-deploy modules, the WAR and its context file in webapps/. Idempotent: run it
# again after building a new WAR to replace it. See ops/README.md, "WARs on a stock Jetty".
#
#   ops/jetty-base/setup.sh [--jetty-home DIR] [--war FILE] [--config FILE] ROLE BASE
#
#   ROLE            edge, shield or admin
#   BASE            the Jetty base directory to make (created if missing)
#   --jetty-home    the unpacked jetty-home-12.1.12 (default: $JETTY_HOME)
#   --war           the WAR (default: ROLE-webapp/target/ROLE.war of this repository, built by mvn package)
#   --config        the node's YAML file, named in webapps/ROLE.xml (default: /etc/blue-origin/ROLE.yaml)
#
# Then: cd BASE && java -jar "$JETTY_HOME/start.jar"   (HTTP on 8080: jetty.http.port=PORT to change it)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
jetty_home="${JETTY_HOME:-}"
war=""
config=""
usage() { sed -n '5,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --jetty-home) jetty_home="${2:?--jetty-home needs a directory}"; shift 2 ;;
        --war) war="${2:?--war needs a file}"; shift 2 ;;
        --config) config="${2:?--config needs a file}"; shift 2 ;;
        -h|--help) usage ;;
        -*) echo "setup.sh: unknown option $1" >&2; usage ;;
        *) break ;;
    esac
done
[ $# -eq 2 ] || usage
role="$1"
base="$2"
case "$role" in
    edge|shield|admin) ;;
    *) echo "setup.sh: ROLE must be edge, shield or admin, not '$role'" >&2; exit 2 ;;
esac
war="${war:-$repo/$role-webapp/target/$role.war}"
config="${config:-/etc/blue-origin/$role.yaml}"
if [ -z "$jetty_home" ] || [ ! -f "$jetty_home/start.jar" ]; then
    echo "setup.sh: no Jetty distribution: set JETTY_HOME or --jetty-home to an unpacked jetty-home-12.1.12" \
         "(org.eclipse.jetty:jetty-home:12.1.12:tar.gz from Maven Central)" >&2
    exit 2
fi
if [ ! -f "$war" ]; then
    echo "setup.sh: no WAR at $war: build it with 'mvn -q package -DskipTests' or give --war" >&2
    exit 2
fi
case "$config" in
    *'#'*|*'<'*|*'&'*) echo "setup.sh: --config '$config' holds a character the context file cannot carry" >&2; exit 2 ;;
esac
jetty_home="$(cd "$jetty_home" && pwd)"
config="$(realpath -m "$config")"   # the container's working directory is not this one
mkdir -p "$base"
base="$(cd "$base" && pwd)"
if ! out="$(cd "$base" && java -jar "$jetty_home/start.jar" "jetty.home=$jetty_home" "jetty.base=$base" \
        --add-modules=http,ee10-deploy 2>&1)"; then
    echo "$out" >&2
    echo "setup.sh: start.jar --add-modules=http,ee10-deploy failed in $base" >&2
    exit 1
fi
mkdir -p "$base/webapps"
# What the launcher's nodes do on their traffic port: no Server header naming the software and its version; and
# for edge and shield (ProxyNode.PROXY_URI_COMPLIANCE, NodeServer.STRICT_LINE_ENDINGS) encoded slashes, empty
# segments, path parameters and encoded characters are passed on to the origin, bare-LF line ends refused.
{
    echo "## Blue Origin CDN $role (made by ops/jetty-base/setup.sh)"
    echo "jetty.httpConfig.sendServerVersion=false"
    if [ "$role" != admin ]; then
        echo "jetty.httpConfig.uriCompliance=DEFAULT,AMBIGUOUS_PATH_SEPARATOR,AMBIGUOUS_EMPTY_SEGMENT,AMBIGUOUS_PATH_PARAMETER,AMBIGUOUS_PATH_ENCODING"
        echo "jetty.httpConfig.compliance=RFC9110,-LF_HEADER_TERMINATION,-LF_CHUNK_TERMINATION"
    fi
} > "$base/start.d/blue-origin.ini"
cp "$war" "$base/webapps/$role.war.new" && mv "$base/webapps/$role.war.new" "$base/webapps/$role.war"
sed "s#/etc/blue-origin/$role.yaml#$config#" "$repo/ops/jetty-base/webapps/$role.xml" > "$base/webapps/$role.xml"
echo "setup.sh: $base runs $role.war with $config: cd $base && java -jar $jetty_home/start.jar"
