#!/usr/bin/env bash
# Builds target/scalez.aot, the CLI's AOT cache (JDK 25: classes loaded and linked, method profiles), from one
# training run: a backup of a small file into a repository made for it. Run by the package phase (pom.xml) after
# the jar is shaded. ./scalez uses the cache when it is newer than the jar; the JVM options here must be those
# ./scalez starts the CLI with, or the JVM ignores the cache.
#
#   aot-cache.sh JAR CACHE
set -euo pipefail
jar="$1" cache="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../../scripts/lib.sh
source "$here/../../../scripts/lib.sh"
java="$(find_java25)" || { echo "warning: no JDK 25 found for the CLI's AOT cache; ./scalez starts without one" >&2; exit 0; }

work="$(dirname "$cache")/aot-training"
rm -rf "$work" "$cache"
mkdir -p "$work"
export SCALEZ_PASSWORD=aot-training
# The cache only saves time: when training fails, the build goes on without one and says so.
if ! "$java" --enable-native-access=ALL-UNNAMED -jar "$jar" init --repo "$work/repo" >"$work/init.log" 2>&1 \
  || ! "$java" -Xms64m -Xmx320m -XX:+UseG1GC -XX:G1HeapRegionSize=4m --enable-native-access=ALL-UNNAMED \
    -XX:AOTCacheOutput="$cache" -jar "$jar" backup --repo "$work/repo" --block "$jar" >"$work/training.log" 2>&1
then
  # (the same JVM options as ./scalez with SCALEZ_JAVA_OPTS unset, above)
  echo "warning: no AOT cache for the CLI (training failed, see $work); ./scalez starts without one" >&2
  rm -f "$cache"
fi
rm -rf "$work/repo"
