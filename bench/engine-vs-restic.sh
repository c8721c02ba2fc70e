#!/usr/bin/env bash
# Benchmarks the ScaleZ engine against restic on a volume image: full backup, no-change re-backup, backup after
# 1% of the 512 KiB blocks changed, restore, stored size and peak RSS, with restic/scalez ratios; and, in the same
# run on the same image, the limit both are held to: `zstd -3 -T2` compressing the image and `zstd -d`
# decompressing it, with the ratios scalez/zstd against the targets of issue 20 (backup <= 1.1x, restore <= 1.0x)
# and the fixed cost of a no-change backup with an empty changed list and of `list` (target < 0.6 s).
#
#   bench/engine-vs-restic.sh PATH
#
# PATH is a directory (an ext4 image is made from it with `mke2fs -d`, at least 2 GiB) or an existing image file.
# Repositories and the image go to $BENCH_DIR (default: a new directory under /var/tmp), on one disk.
# Figures, not a test: the numbers depend on the machine and on what else runs on it.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 PATH (a directory to make an ext4 image from, or an image file)" >&2
  exit 2
fi
src="$(realpath "$1")"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scalez="$root/scalez"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need restic; then
  echo "installing restic from Debian ..." >&2
  apt-get install -y restic >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y restic >/dev/null; }
fi
if ! need zstd; then
  echo "installing zstd from Debian ..." >&2
  apt-get install -y zstd >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y zstd >/dev/null; }
fi
if [[ ! -x /usr/bin/time ]]; then
  apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi
need mke2fs || { echo "mke2fs (e2fsprogs) is required" >&2; exit 1; }

work="${BENCH_DIR:-$(mktemp -d /var/tmp/scalez-bench.XXXXXX)}"
mkdir -p "$work"
echo "working in $work" >&2
export SCALEZ_PASSWORD=bench RESTIC_PASSWORD=bench
# Build the CLI jar outside the timings.
"$scalez" --version >/dev/null

image="$work/volume.img"
if [[ -d "$src" ]]; then
  data_kib=$(du -sk "$src" | cut -f1)
  size_mib=$(( data_kib * 16 / 10 / 1024 ))
  (( size_mib < 2048 )) && size_mib=2048
  rm -f "$image"
  truncate -s "${size_mib}M" "$image"
  mke2fs -q -F -t ext4 -d "$src" "$image"
  echo "made a ${size_mib} MiB ext4 image of $src ($(( data_kib / 1024 )) MiB of data)" >&2
else
  cp --sparse=always "$src" "$image"
fi
image_bytes=$(stat -c %s "$image")
blocks=$(( (image_bytes + 524287) / 524288 ))

# timed LABEL CMD... : runs CMD, records wall seconds and peak RSS (KiB) in $T and $M
timed() {
  local out="$work/time.txt"
  /usr/bin/time -f "%e %M" -o "$out" "$@" >"$work/last.out" 2>"$work/last.err" || {
    echo "failed: $*" >&2; cat "$work/last.err" >&2; exit 1; }
  read -r T M <"$out"
}
peak() { (( $1 > $2 )) && echo "$1" || echo "$2"; }

# Change 1% of the blocks (at least one) with random data, seeded, and list them for scalez.
change_blocks() {
  python3 - "$image" "$blocks" "$work/changed.txt" <<'EOF'
import os, random, sys
path, blocks, listing = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rnd = random.Random(1)
chosen = sorted(rnd.sample(range(blocks), max(1, blocks // 100)))
size = os.path.getsize(path)
with open(path, "r+b") as f:
    for b in chosen:
        f.seek(b * 524288)
        f.write(rnd.randbytes(min(524288, size - b * 524288)))
with open(listing, "w") as out:
    out.write("\n".join(map(str, chosen)) + "\n")
EOF
}

sha() { sha256sum "$1" | cut -d' ' -f1; }
original_sha=$(sha "$image")
cp --sparse=always "$image" "$work/pristine.img"

# --- the limit: the zstd command line on the same image -------------------------------------------------
# Level 3 with two threads (both cores) like the engine; `zstd -d` has one decompressing thread.
timed zstd -q -3 -T2 -f -o "$work/volume.img.zst" "$image"
z_full=$T
z_size=$(stat -c %s "$work/volume.img.zst")
timed zstd -q -d -f -o "$work/zstd-restore.img" "$work/volume.img.zst"
z_restore=$T
[[ "$(sha "$work/zstd-restore.img")" == "$original_sha" ]] || { echo "zstd restored wrong bytes" >&2; exit 1; }
rm -f "$work/zstd-restore.img" "$work/volume.img.zst"

# --- scalez ---------------------------------------------------------------------------------------------
rm -rf "$work/scalez-repo"
"$scalez" init --repo "$work/scalez-repo" >/dev/null
timed "$scalez" backup --repo "$work/scalez-repo" --json --block "$image"
s_full=$T; s_rss=$M
rp=$(sed -E 's/.*"recoveryPointId":"([^"]+)".*/\1/' "$work/last.out")
s_size=$(du -sb "$work/scalez-repo" | cut -f1)
timed "$scalez" backup --repo "$work/scalez-repo" --json --parent "$rp" --block "$image"
s_nochange=$T; s_rss=$(peak "$M" "$s_rss")
timed "$scalez" backup --repo "$work/scalez-repo" --json --parent "$rp" --changed-blocks /dev/null --block "$image"
s_nochange_cbt=$T
timed "$scalez" list --repo "$work/scalez-repo"
s_list=$T
change_blocks
changed_sha=$(sha "$image")
timed "$scalez" backup --repo "$work/scalez-repo" --json --parent "$rp" --changed-blocks "$work/changed.txt" --block "$image"
s_changed=$T; s_rss=$(peak "$M" "$s_rss")
rp2=$(sed -E 's/.*"recoveryPointId":"([^"]+)".*/\1/' "$work/last.out")
timed "$scalez" backup --repo "$work/scalez-repo" --json --parent "$rp" --block "$image"
s_changed_scan=$T
rm -f "$work/scalez-restore.img"
timed "$scalez" restore --repo "$work/scalez-repo" "$rp2" --target "$work/scalez-restore.img"
s_restore=$T; s_rss=$(peak "$M" "$s_rss")
[[ "$(sha "$work/scalez-restore.img")" == "$changed_sha" ]] || { echo "scalez restored wrong bytes" >&2; exit 1; }
s_size_all=$(du -sb "$work/scalez-repo" | cut -f1)

# --- restic ---------------------------------------------------------------------------------------------
cp --sparse=always "$work/pristine.img" "$image"
rm -rf "$work/restic-repo" "$work/restic-restore"
restic init -q -r "$work/restic-repo" >/dev/null
timed restic -r "$work/restic-repo" backup -q --compression auto "$image"
r_full=$T; r_rss=$M
r_size=$(du -sb "$work/restic-repo" | cut -f1)
timed restic -r "$work/restic-repo" backup -q --compression auto "$image"
r_nochange=$T; r_rss=$(peak "$M" "$r_rss")
change_blocks
timed restic -r "$work/restic-repo" backup -q --compression auto "$image"
r_changed=$T; r_rss=$(peak "$M" "$r_rss")
timed restic -r "$work/restic-repo" restore -q latest --target "$work/restic-restore"
r_restore=$T; r_rss=$(peak "$M" "$r_rss")
[[ "$(sha "$work/restic-restore$image")" == "$changed_sha" ]] || { echo "restic restored wrong bytes" >&2; exit 1; }
r_size_all=$(du -sb "$work/restic-repo" | cut -f1)
[[ "$original_sha" != "$changed_sha" ]]

ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'{a / b:.2f}' if b > 0 else 'inf')" "$1" "$2"; }
mib() { python3 -c "import sys; print(f'{int(sys.argv[1]) / 1048576:.1f}')" "$1"; }

echo
echo "image: $image_bytes bytes ($blocks blocks of 512 KiB), $(nproc) cores, $(restic version | cut -d' ' -f1-2)"
printf '%-34s %12s %12s %14s\n' "" "scalez" "restic" "restic/scalez"
printf '%-34s %12s %12s %14s\n' "full backup (s)" "$s_full" "$r_full" "$(ratio "$r_full" "$s_full")"
printf '%-34s %12s %12s %14s\n' "no-change re-backup (s)" "$s_nochange" "$r_nochange" "$(ratio "$r_nochange" "$s_nochange")"
printf '%-34s %12s %12s %14s\n' "1% blocks changed (s)" "$s_changed" "$r_changed" "$(ratio "$r_changed" "$s_changed")"
printf '%-34s %12s %12s %14s\n' "restore (s)" "$s_restore" "$r_restore" "$(ratio "$r_restore" "$s_restore")"
printf '%-34s %12s %12s %14s\n' "stored after full backup (MiB)" "$(mib "$s_size")" "$(mib "$r_size")" "$(ratio "$r_size" "$s_size")"
printf '%-34s %12s %12s %14s\n' "stored after all backups (MiB)" "$(mib "$s_size_all")" "$(mib "$r_size_all")" "$(ratio "$r_size_all" "$s_size_all")"
printf '%-34s %12s %12s %14s\n' "peak RSS (MiB)" "$(( s_rss / 1024 ))" "$(( r_rss / 1024 ))" "$(ratio "$r_rss" "$s_rss")"
echo
echo "the limit, same image, same run: zstd -3 -T2 ${z_full} s ($(mib "$z_size") MiB), zstd -d ${z_restore} s"
printf '%-34s %12s %12s %14s\n' "" "scalez" "zstd" "scalez/zstd"
printf '%-34s %12s %12s %14s\n' "full backup (s)" "$s_full" "$z_full" "$(ratio "$s_full" "$z_full") (target <= 1.10)"
printf '%-34s %12s %12s %14s\n' "restore (s)" "$s_restore" "$z_restore" "$(ratio "$s_restore" "$z_restore") (target <= 1.00)"
echo "fixed cost: no-change backup with an empty changed list ${s_nochange_cbt} s, list ${s_list} s (target < 0.6 s each)"
echo "stored after full backup: scalez $(mib "$s_size") MiB, restic $(mib "$r_size") MiB (target: scalez <= restic)"
echo
echo "scalez no-change with an empty changed-block list: ${s_nochange_cbt} s; 1% changed without a list (re-reads all): ${s_changed_scan} s"
echo "scalez re-backups name the full backup as --parent and read every block unless given --changed-blocks;"
echo "restic skips an unchanged file by its metadata and re-reads the whole image once it changed."
