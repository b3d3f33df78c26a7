#!/usr/bin/env bash
# Regenerates, from the catalogue (launcher/.../config/Settings.java and SettingDetails.java), the settings
# table in README.md and the configuration reference docs/configuration.md.
# Run after adding or changing a key: SettingsTest and ConfigurationReferenceTest fail until both match.
# The jar must be built from the current sources (mvn -q -B -DskipTests package); it is built if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=launcher/target/blue-origin.jar
[[ -f $jar ]] || mvn -q -B -DskipTests package
table=$(java -jar "$jar" settings)
python3 - "$table" <<'PY'
import sys, re
table = sys.argv[1].strip()
text = open("README.md").read()
begin, end = "<!-- settings:begin -->\n", "<!-- settings:end -->"
i, j = text.index(begin) + len(begin), text.index(end)
open("README.md", "w").write(text[:i] + table + "\n" + text[j:])
PY
echo "README.md settings table updated"
java -jar "$jar" settings --reference > docs/configuration.md
echo "docs/configuration.md updated"
