#!/usr/bin/env bash
# scripts/scanner-image.sh — build the vaults' scanner image (docs/integrity.md, "The scanner image") without a
# container engine or a registry: a Debian root file system with ClamAV's clamd and YARA (mmdebstrap), a jlink
# runtime of the JDK 25 with the modules the integrity service needs (jdeps), and the service's exec jar, packed
# by umoci as an OCI image archive in worker mode.
#
#   scripts/scanner-image.sh JAR OUT_DIR
#
# JAR: integrity-service/target/integrity-service-<version>-exec.jar. OUT_DIR (e.g. target/scanner-image) gets:
#   integrity-scanner.oci.tar   the OCI image archive (tag = the jar's version), for skopeo copy oci-archive:…
#   oci/                        the same image as an OCI layout directory
#   base/                       the Debian root file system, reused while its package set and mirror are the same
# Settings (environment): SCANNER_IMAGE_MIRROR (http://deb.debian.org/debian; -security is derived from it),
# SCANNER_IMAGE_SUITE (bookworm), JAVA (a JDK 25's java), SOURCE_DATE_EPOCH (layer times; default: the jar's).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

[[ $# -eq 2 ]] || die "usage: scripts/scanner-image.sh JAR OUT_DIR"
JAR="$(readlink -f "$1")"
OUT="$2"
[[ -f "$JAR" ]] || die "no jar at $1; build it with ./mvnw -pl integrity-service -am -DskipTests package"
((EUID == 0)) || die "building the scanner image needs root (mmdebstrap --mode=root, files owned by their users)"
need_tools "building the scanner image" "${IMAGE_TOOLS[@]}"

JAVA="${JAVA:-$(find_java25)}"
JDK="$(dirname "$(dirname "$(readlink -f "$JAVA")")")"
[[ -x "$JDK/bin/jlink" && -x "$JDK/bin/jdeps" ]] || die "$JDK is not a JDK with jlink and jdeps"

SUITE="${SCANNER_IMAGE_SUITE:-bookworm}"
MIRROR="${SCANNER_IMAGE_MIRROR:-http://deb.debian.org/debian}"
# What the scanner runs besides the JVM: clamd (and freshclam, which clamav brings), clamdscan for operators, YARA.
PACKAGES=(clamav-daemon clamav clamdscan yara ca-certificates tzdata)
VERSION="$(basename "$JAR" | sed -E 's/^integrity-service-(.*)-exec\.jar$/\1/')"
# The time mmdebstrap gives the Debian files and the image's creation time: the jar's (SOURCE_DATE_EPOCH overrides).
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(stat -c %Y "$JAR")}"
# The non-root user the container runs as (the same uid as the Jib images).
SCANNER_UID=65532

mkdir -p "$OUT"
OUT="$(readlink -f "$OUT")"
started=$SECONDS

# 1. The Debian root file system, reused while the suite, mirror and packages are the same (the packages' time
# is the mirror's: rebuild with rm -r OUT/base to take newer security updates).
base_key="$(printf '%s\n' "$SUITE" "$MIRROR" "${PACKAGES[@]}" "$SCANNER_UID" | sha256sum | cut -c1-16)"
if [[ "$(cat "$OUT/base.key" 2>/dev/null)" != "$base_key" || ! -x "$OUT/base/usr/sbin/clamd" ]]; then
  step "Debian $SUITE root file system with ${PACKAGES[*]} (mmdebstrap from $MIRROR)"
  rm -rf "$OUT/base" "$OUT/base.key"
  # Documentation, manuals and translations are left out; copyrights stay. /dev is left empty: the container
  # runtime provides it.
  mmdebstrap --mode=root --variant=essential --format=directory --quiet \
    --include="$(IFS=,; echo "${PACKAGES[*]}")" \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --customize-hook="chroot \"\$1\" groupadd --system --gid $SCANNER_UID scanner" \
    --customize-hook="chroot \"\$1\" useradd --uid $SCANNER_UID --gid $SCANNER_UID --home-dir /home/scanner --create-home --shell /usr/sbin/nologin scanner" \
    --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/*.log "$1"/var/cache/ldconfig/aux-cache' \
    "$SUITE" "$OUT/base" \
    "deb $MIRROR $SUITE main" "deb $MIRROR $SUITE-updates main" "deb ${MIRROR%/debian}/debian-security $SUITE-security main" \
    </dev/null || die "mmdebstrap failed (is $MIRROR reachable? set SCANNER_IMAGE_MIRROR to a Debian mirror)"
  find "$OUT/base/dev" -mindepth 1 -delete
  echo "$base_key" >"$OUT/base.key"
fi

# 2. The Java runtime: the modules jdeps finds in the service and its libraries, plus those loaded by name at run
# time, which jdeps cannot see (elliptic-curve and PKCS#11 providers, the zip file system, DNS for JNDI).
step "Java runtime (jlink of $JDK)"
work="$OUT/work"
rm -rf "$work" "$OUT/jre"
mkdir -p "$work/jar"
(cd "$work/jar" && unzip -q "$JAR")
modules="$("$JDK/bin/jdeps" -q --ignore-missing-deps --multi-release 25 --print-module-deps --recursive \
  --class-path "$work/jar/BOOT-INF/lib/*" "$work/jar/BOOT-INF/classes")" || die "jdeps failed on $JAR"
modules="$modules,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.zipfs,jdk.naming.dns"
"$JDK/bin/jlink" --add-modules "$modules" --output "$OUT/jre" --strip-debug --no-header-files --no-man-pages \
  --generate-cds-archive 2>/dev/null \
  || "$JDK/bin/jlink" --add-modules "$modules" --output "$OUT/jre" --strip-debug --no-header-files --no-man-pages \
  || die "jlink failed (modules: $modules)"
echo "  modules: $modules"

# 3. The image: one layer each for Debian, the runtime and the app, so that a new app version pushes one layer.
step "OCI image (umoci): Debian, Java runtime, integrity-service $VERSION"
oci="$OUT/oci" bundle="$work/bundle" tag="$VERSION"
rm -rf "$oci"
umoci init --layout "$oci"
umoci new --image "$oci:$tag"
umoci unpack --image "$oci:$tag" "$bundle" >/dev/null
cp -a "$OUT/base/." "$bundle/rootfs/"
mkdir -p "$bundle/rootfs/etc/cloudconnector/yara"
umoci repack --image "$oci:$tag" --history.created_by "mmdebstrap $SUITE: ${PACKAGES[*]}" "$bundle"
# The other two layers are tar'd here (umoci 0.4.7's `insert` leaves the tar's last block short).
mkdir -p "$work/runtime/opt" "$work/app/app"
cp -a "$OUT/jre" "$work/runtime/opt/java"
cp "$JAR" "$work/app/app/integrity-service.jar"
add_layer() {
  tar --sort=name --numeric-owner --owner=0 --group=0 --mtime="@$SOURCE_DATE_EPOCH" -C "$work/$1" -cf "$work/$1.tar" "$2"
  umoci raw add-layer --image "$oci:$tag" --history.created_by "$3" "$work/$1.tar"
}
add_layer runtime opt "jlink --add-modules $modules"
add_layer app app "integrity-service $VERSION"
# Worker mode by default (the Batch submission sets it too). Half the memory for the heap: clamd with the
# official database needs 1-2 GiB of its own next to the JVM.
umoci config --image "$oci:$tag" --no-history \
  --author "Cloud Connector" --architecture amd64 --os linux \
  --config.user "$SCANNER_UID:$SCANNER_UID" --config.workingdir /app \
  --config.env "PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --config.env "JAVA_HOME=/opt/java" --config.env "SPRING_PROFILES_ACTIVE=worker" \
  --config.entrypoint /opt/java/bin/java --config.entrypoint -XX:MaxRAMPercentage=50 \
  --config.entrypoint -XX:+ExitOnOutOfMemoryError --config.entrypoint --enable-native-access=ALL-UNNAMED \
  --config.entrypoint -jar \
  --config.entrypoint /app/integrity-service.jar \
  --config.label "org.opencontainers.image.title=cloud-connector integrity scanner" \
  --config.label "org.opencontainers.image.version=$VERSION" \
  --created "$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"
umoci gc --layout "$oci"
rm -rf "$work"

archive="$OUT/integrity-scanner.oci.tar"
(cd "$oci" && tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
  -cf "$archive.tmp" oci-layout index.json blobs)
mv "$archive.tmp" "$archive"
printf '\nScanner image %s: %s (%s MiB; Debian %s %s MiB, runtime %s MiB, app %s MiB unpacked) in %d s\n' \
  "$tag" "$archive" "$(($(stat -c %s "$archive") / 1048576))" "$SUITE" "$(du -sm "$OUT/base" | cut -f1)" \
  "$(du -sm "$OUT/jre" | cut -f1)" "$(($(stat -c %s "$JAR") / 1048576))" $((SECONDS - started))
