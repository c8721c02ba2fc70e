#!/usr/bin/env bash
# "The EBS path against the file path" of docs/performance.md (issue 20: a backup and a restore through the EBS
# direct-API code reach at least 90% of the throughput of the same image backed up from, and restored to, a file).
# In one JVM (io.cloudconnector.scalez.source.EbsPathBench, scalez-engine's test sources), alternately and ROUNDS
# times: a backup of the image from its file and from an EBS snapshot of it (the test EBS server, EbsStub, in the same
# JVM, through the SDK's EbsClient set up like background-jobs'), each into a fresh local repository; a restore of one
# recovery point to an image file and to a new EBS snapshot; the medians, and EBS/file throughput against 0.90.
# Both restored copies are compared with the image block by block.
#
#   bench/ebs-vs-file.sh [PATH]      (default PATH: /usr/share)
#
# PATH is a directory (an ext4 image of SIZE_GIB GiB, default 1, is made from it with `mke2fs -d`; it must fit) or
# an image file (copied, sparse, and grown to a whole number of GiB: EBS volumes are). Environment: ROUNDS (3),
# EBS_CONCURRENCY (16, the product default), SWEEP (a comma list of other concurrencies to time once each, e.g. 4,8,32; default none),
# EBS_STUB (https, as EBS; http to see what plain HTTP costs), BENCH_DIR (default: a new directory under /var/tmp),
# BENCH_HEAP (3g: the snapshot lives in the stub's memory).
# Figures, not a test: the numbers depend on the machine and on what else runs on it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
src="$(realpath "${1:-/usr/share}")"
source scripts/lib.sh
java="$(find_java25)"
export JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$java")")")"
command -v mke2fs >/dev/null 2>&1 || { echo "mke2fs (e2fsprogs) is required" >&2; exit 1; }

work="${BENCH_DIR:-$(mktemp -d /var/tmp/ebs-bench.XXXXXX)}"
mkdir -p "$work"
echo "working in $work" >&2
image="$work/volume.img"
size_gib="${SIZE_GIB:-1}"
if [[ -d "$src" ]]; then
  rm -f "$image"
  truncate -s "${size_gib}G" "$image"
  # mke2fs -d stops at the first file that does not fit; a directory larger than the image fails here.
  mke2fs -q -F -t ext4 -d "$src" "$image" || {
    echo "$src does not fit in ${size_gib} GiB: set SIZE_GIB or pick a smaller directory" >&2; exit 1; }
  echo "made a ${size_gib} GiB ext4 image of $src ($(du -sm "$src" | cut -f1) MiB of files)" >&2
else
  cp --sparse=always "$src" "$image"
  bytes=$(stat -c %s "$image")
  gib=$(( (bytes + (1 << 30) - 1) >> 30 ))
  truncate -s "${gib}G" "$image"
fi

# Test classes and the test classpath, outside the timings (no install: the reactor's common test-jar is resolved
# from its module).
./mvnw -q -B -pl scalez-engine -am test-compile dependency:build-classpath -DskipTests -Dspotless.skip \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
# Without common's test classes: their AWS call recorder (an SDK interceptor every test JVM loads) walks the stack
# on every call, which the product does not.
deps="$(tr ':' '\n' <scalez-engine/target/bench.classpath | grep -v -e '/common/target/test-classes$' -e '/common-[^/]*-tests\.jar$' | paste -sd:)"
cp="scalez-engine/target/test-classes:scalez-engine/target/classes:$deps"

echo "load average before: $(cat /proc/loadavg)"
"$java" -Xms"${BENCH_HEAP:-3g}" -Xmx"${BENCH_HEAP:-3g}" -XX:+UseG1GC --enable-native-access=ALL-UNNAMED \
  -cp "$cp" io.cloudconnector.scalez.source.EbsPathBench "$image" "$work" "${ROUNDS:-3}" "${EBS_CONCURRENCY:-16}" \
  "${SWEEP:-}" "${EBS_STUB:-https}"
echo "load average after: $(cat /proc/loadavg)"
[[ -n "${BENCH_DIR:-}" ]] || rm -rf "$work"
