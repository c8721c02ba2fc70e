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
java="$(find_java25)"

work="$(dirname "$cache")/aot-training"
rm -rf "$work" "$cache"
mkdir -p "$work"
export SCALEZ_PASSWORD=aot-training
"$java" --enable-native-access=ALL-UNNAMED -jar "$jar" init --repo "$work/repo" >"$work/init.log" 2>&1
# The same options as ./scalez (SCALEZ_JAVA_OPTS unset).
"$java" -Xms64m -Xmx320m -XX:+UseG1GC -XX:G1HeapRegionSize=4m --enable-native-access=ALL-UNNAMED \
  -XX:AOTCacheOutput="$cache" -jar "$jar" backup --repo "$work/repo" --block "$jar" >"$work/training.log" 2>&1
rm -rf "$work/repo"
