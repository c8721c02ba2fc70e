#!/usr/bin/env bash
# The "Index memory" figures of docs/performance.md: for vaults of 1 M and 20 M chunks (real index files, sealed by the
# engine's own writer, for packs that are not stored, plus 64 MiB of real data), the peak RSS of a small backup in a
# JVM with the CLI's heap flags (bound: 512 MiB), the index load time and the cost of a lookup that hits and one that
# misses. Needs ~1.2 GB of disk per 20 M chunks under $WORK (default: a temporary directory, removed at the end).
# Usage: bench/chunk-index-memory.sh [chunks...]   (default: 1000000 20000000)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
java="$(find_java25)"
export JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$java")")")"
./mvnw -q -B -pl scalez-engine -am test-compile dependency:build-classpath -DskipTests -Dspotless.skip \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="scalez-engine/target/test-classes:scalez-engine/target/classes:$(cat scalez-engine/target/bench.classpath)"
# The same heap flags as the scalez launcher.
flags=(-Xms64m -Xmx320m -XX:+UseG1GC -XX:G1HeapRegionSize=4m --enable-native-access=ALL-UNNAMED)
work="${WORK:-$(mktemp -d)}"
trap 'rm -rf "$work"' EXIT
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1000000 20000000)
for n in "${counts[@]}"; do
  repo="$work/repo-$n"
  rm -rf "$repo"
  "$java" -Xmx1g -cp "$cp" io.cloudconnector.scalez.repo.IndexMemoryBench generate "$repo" "$n"
  echo "index files: $(du -sh "$repo/index" | cut -f1)"
  "$java" "${flags[@]}" -Djava.io.tmpdir="$work" -cp "$cp" io.cloudconnector.scalez.repo.IndexMemoryBench backup "$repo"
  "$java" "${flags[@]}" -Djava.io.tmpdir="$work" -cp "$cp" io.cloudconnector.scalez.repo.IndexMemoryBench lookup "$repo" "$n"
  rm -rf "$repo"
done
