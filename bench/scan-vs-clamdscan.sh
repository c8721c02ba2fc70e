#!/usr/bin/env bash
# Recovery-point scan throughput against clamdscan (docs/performance.md, "Scans against clamdscan"):
# one deterministic tree of files of mixed sizes and kinds, an ext4 and an XFS image of it (BENCH_SIZE, 2G by
# default), each backed up as a block recovery point into a local ScaleZ repository and scanned by the integrity
# scanner as a scan job does (readers, heuristics, clamd and yara; BENCH_THREADS, 4 by default like
# connector.integrity.scans.threads), then `clamdscan --multiscan` over the same tree on a local directory with a
# clamd of the same database and limits (the connector's signatures, MaxThreads 4). Prints MB/s of file data for
# each, the ratio scanner/clamdscan (target >= 0.8) and the scanner's peak RSS (/usr/bin/time -v).
# Needs: a JDK 25, mke2fs, mkfs.xfs, clamd, clamdscan, yara, python3, /usr/bin/time. BENCH_DIR (default a new
# directory under /tmp) holds the tree, images and repositories; it is removed at the end unless BENCH_KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
size="${BENCH_SIZE:-2G}"
threads="${BENCH_THREADS:-4}"
work="${BENCH_DIR:-$(mktemp -d /tmp/scan-vs-clamdscan.XXXXXX)}"
mkdir -p "$work"
clamd_pid=""
cleanup() {
  if [[ -n "$clamd_pid" ]]; then kill "$clamd_pid" 2>/dev/null || true; fi
  if [[ "${BENCH_KEEP:-0}" != 1 ]]; then rm -rf "$work"; fi
}
trap cleanup EXIT
for tool in mke2fs mkfs.xfs clamd clamdscan yara python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
java="$(find_java25)"

# One reactor run: the project's own modules resolve to their target/ directories (nothing is installed).
./mvnw -q -B -pl integrity-service -am test-compile dependency:build-classpath -Dspotless.skip \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp integrity-service/target/bench.classpath "$work/classpath"
# A copy of the classes: builds running while the bench runs do not change what it measures.
mkdir -p "$work/classes"
cp -r integrity-service/target/classes "$work/classes/main"
cp -r integrity-service/target/test-classes "$work/classes/test"
cp_="$work/classes/test:$work/classes/main:$(cat "$work/classpath")"

bytes_of() { numfmt --from=iec "${1^^}"; }
image_bytes="$(bytes_of "$size")"
data_bytes=$((image_bytes * 7 / 10))

echo "== tree: $((data_bytes >> 20)) MiB of files (deterministic, seed 17) in $work/tree"
python3 - "$work/tree" "$data_bytes" <<'PY'
import os, random, sys
root, budget = sys.argv[1], int(sys.argv[2])
rng = random.Random(17)
words = [("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 10)))) for _ in range(4000)]
def text(n):
    out, size = [], 0
    while size < n:
        line = " ".join(rng.choice(words) for _ in range(rng.randint(4, 16))) + "\n"
        out.append(line); size += len(line)
    return "".join(out).encode()[:n]
def records(n):
    # structured binary: fixed-size records of counters, flags and short random fields (databases, logs)
    out = bytearray()
    i = 0
    while len(out) < n:
        out += i.to_bytes(8, "little") + bytes([i % 7, 0, 0, 1]) + rng.randbytes(12) + b"\0" * 8
        i += 1
    return bytes(out[:n])
kinds = [("txt", text, 5), ("bin", rng.randbytes, 3), ("dat", records, 2)]
sizes = [(512, 16 << 10, 60), (16 << 10, 512 << 10, 30), (512 << 10, 8 << 20, 9), (8 << 20, 48 << 20, 1)]
total, count = 0, 0
while total < budget:
    lo, hi, _ = rng.choices(sizes, weights=[w for *_, w in sizes])[0]
    ext, make, _ = rng.choices(kinds, weights=[w for *_, w in kinds])[0]
    n = min(rng.randint(lo, hi), budget - total)
    if n <= 0:
        break
    d = os.path.join(root, f"d{count // 2000:03d}", f"s{(count // 100) % 20:02d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{count:06d}.{ext}"), "wb") as f:
        f.write(make(n))
    total += n; count += 1
print(f"{count} files, {total} bytes")
PY
files_bytes="$(find "$work/tree" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')"

echo "== images: ext4 and XFS of $size"
"$java" -cp "$cp_" io.cloudconnector.integrity.scan.ScanBench images "$work/tree" "$size" "$work/images"

declare -A rate rss verdict
for fs in ext4 xfs; do
  rp="$("$java" -Xmx1g -cp "$cp_" io.cloudconnector.integrity.scan.ScanBench backup "$work/images/image.$fs" "$work/repo-$fs" | tail -1)"
  rm -f "$work/images/image.$fs"
  echo "== scan of the $fs recovery point $rp ($threads threads)"
  /usr/bin/time -v -o "$work/time-$fs" "$java" -Xmx1g -cp "$cp_" io.cloudconnector.integrity.scan.ScanBench \
    scan "$work/repo-$fs" "$rp" "$threads" "$work/scan-work" | tee "$work/scan-$fs"
  read -r _ verdict[$fs] _files scanned seconds mbps < <(grep '^scan:' "$work/scan-$fs")
  rate[$fs]="$mbps"
  rss[$fs]="$(awk -F': ' '/Maximum resident set size/ {print int($2/1024)}' "$work/time-$fs")"
  echo "   $seconds s, $mbps MB/s of file data ($scanned bytes), verdict ${verdict[$fs]}, peak RSS ${rss[$fs]} MiB"
  rm -rf "$work/repo-$fs"
done

echo "== clamdscan --multiscan over the tree"
mkdir -p "$work/clamd/db" "$work/clamd/tmp"
cp integrity-service/src/main/resources/signatures/cloudconnector.{ndb,hdb,ldb} "$work/clamd/db/"
cat > "$work/clamd/clamd.conf" <<CONF
Foreground yes
LocalSocket $work/clamd/clamd.sock
DatabaseDirectory $work/clamd/db
TemporaryDirectory $work/clamd/tmp
LogFile $work/clamd/clamd.log
MaxThreads 4
MaxQueue 200
MaxFileSize 200M
MaxScanSize 400M
SelfCheck 0
CONF
clamd --config-file="$work/clamd/clamd.conf" >"$work/clamd/out" 2>&1 &
clamd_pid=$!
for _ in $(seq 1 600); do
  [[ -S "$work/clamd/clamd.sock" ]] && clamdscan --config-file="$work/clamd/clamd.conf" --ping 1 >/dev/null 2>&1 && break
  sleep 0.5
done
start=$(date +%s.%N)
clamdscan --config-file="$work/clamd/clamd.conf" --multiscan --no-summary --infected "$work/tree" || [[ $? == 1 ]]
end=$(date +%s.%N)
clamd_seconds="$(echo "$end - $start" | bc -l)"
clamd_rate="$(echo "$files_bytes / 1000000 / $clamd_seconds" | bc -l)"
kill "$clamd_pid"; wait "$clamd_pid" 2>/dev/null || true; clamd_pid=""

echo
echo "== results: $(find "$work/tree" -type f | wc -l) files, $((files_bytes / 1000000)) MB of file data, images of $size, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %10s %8s %10s\n' "" "MB/s" "ratio" "peak RSS"
printf '%-28s %10.1f %8s %10s\n' "clamdscan --multiscan (dir)" "$clamd_rate" "1.00" "-"
for fs in ext4 xfs; do
  printf '%-28s %10.1f %8.2f %7s MiB\n' "scanner, $fs image" "${rate[$fs]}" "$(echo "${rate[$fs]} / $clamd_rate" | bc -l)" "${rss[$fs]}"
done
