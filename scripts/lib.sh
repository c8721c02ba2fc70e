# Shared by ./connector, ./scalez, .ci/run and bench/: find the tools, report progress, fail clearly.
# shellcheck shell=bash

die() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }
step() { printf '==> %s\n' "$*"; }

# stale ARTIFACT DIR...: ARTIFACT is missing, or a file under DIR/src/main or DIR/pom.xml (for each Maven module
# directory DIR it is built from) is newer than it.
stale() {
  local artifact="$1" dir inputs=()
  shift
  [[ -e "$artifact" ]] || return 0
  for dir in "$@"; do inputs+=("$dir/src/main" "$dir/pom.xml"); done
  [[ -n "$(find "${inputs[@]}" -newer "$artifact" -print -quit 2>/dev/null)" ]]
}

# The java of a JDK 25 or newer: $JAVA_HOME if it is one, else Temurin 25 under /usr/lib/jvm,
# else any JDK there, else `java` on PATH. The machine default may be 17.
find_java25() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/*; do
    [[ -n "$candidate" && -x "$candidate/bin/java" ]] || continue
    if java_is_25 "$candidate/bin/java"; then echo "$candidate/bin/java"; return 0; fi
  done
  if command -v java >/dev/null && java_is_25 "$(command -v java)"; then command -v java; return 0; fi
  die "JDK 25 or newer not found (looked in \$JAVA_HOME, /usr/lib/jvm/*, java on PATH): install a JDK 25 such as Temurin 25 under /usr/lib/jvm, or set JAVA_HOME to one"
}

java_is_25() {
  local version
  version="$("$1" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')"
  [[ -n "$version" && "${version%%.*}" -ge 25 ]]
}

find_moto() {
  if [[ -n "${MOTO_SERVER:-}" ]]; then echo "$MOTO_SERVER"; return 0; fi
  if command -v moto_server >/dev/null; then command -v moto_server; return 0; fi
  if [[ -x "$HOME/.pyenv/shims/moto_server" ]]; then echo "$HOME/.pyenv/shims/moto_server"; return 0; fi
  die "moto_server not found (looked in \$MOTO_SERVER, PATH, ~/.pyenv/shims): install it with pip install 'moto[server]>=5.2.1' (5.2.0 breaks multipart uploads), or set MOTO_SERVER to its path"
}

# wait_for NAME SECONDS CHECK...: poll CHECK until it succeeds or SECONDS pass.
wait_for() {
  local name="$1" seconds="$2" deadline
  shift 2
  deadline=$((SECONDS + seconds))
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# progress_wait LABEL TOTAL SECONDS CHECK: poll CHECK (which sets HEALTHY_COUNT) drawing a bar on a
# terminal, or a line every 10 s otherwise; fails after SECONDS.
progress_wait() {
  local label="$1" total="$2" seconds="$3" check="$4" start=$SECONDS last_print=-10 width=30
  while true; do
    if "$check"; then
      [[ -t 1 ]] && printf '\r  [%s] %d/%d %s  %3ds\n' "$(printf '#%.0s' $(seq 1 $width))" "$total" "$total" "$label" $((SECONDS - start))
      [[ -t 1 ]] || printf '  %d/%d %s after %ds\n' "$total" "$total" "$label" $((SECONDS - start))
      return 0
    fi
    local done_count="${HEALTHY_COUNT:-0}" elapsed=$((SECONDS - start))
    if [[ -t 1 ]]; then
      local filled=$((done_count * width / total))
      printf '\r  [%-*s] %d/%d %s  %3ds' "$width" "$(printf '#%.0s' $(seq 1 $filled) | head -c $filled)" "$done_count" "$total" "$label" "$elapsed"
    elif ((elapsed - last_print >= 10)); then
      printf '  %d/%d %s after %ds\n' "$done_count" "$total" "$label" "$elapsed"
      last_print=$elapsed
    fi
    ((elapsed < seconds)) || { [[ -t 1 ]] && echo; return 1; }
    sleep 1
  done
}

# need_tools WHY COMMAND:PACKAGE...: every COMMAND is on PATH (or in /usr/sbin, /sbin), else its Debian PACKAGE is
# installed: with apt-get as root or through passwordless sudo, saying what and why; where that cannot be done, the
# exact command to run is printed and the script exits non-zero before running anything. Nothing is installed when
# every command is present, so a second run starts at once.
need_tools() {
  local why="$1" spec cmd pkg missing_cmds=() missing_pkgs=()
  shift
  for spec in "$@"; do
    cmd="${spec%%:*}" pkg="${spec#*:}"
    have_command "$cmd" && continue
    missing_cmds+=("$cmd")
    [[ " ${missing_pkgs[*]} " == *" $pkg "* ]] || missing_pkgs+=("$pkg")
  done
  ((${#missing_pkgs[@]})) || return 0
  local install="apt-get install -y ${missing_pkgs[*]}" sudo=()
  if ! command -v apt-get >/dev/null; then
    die "missing ${missing_cmds[*]} ($why); install the packages that provide them (on Debian/Ubuntu: $install)"
  fi
  if ((EUID != 0)); then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null \
      || die "missing ${missing_cmds[*]} ($why); run: sudo apt-get update && sudo $install"
    sudo=(sudo -n)
  fi
  step "Installing ${missing_pkgs[*]} with apt-get (for ${missing_cmds[*]}: $why)"
  if [[ -z "${NEED_TOOLS_UPDATED:-}" ]]; then
    "${sudo[@]}" apt-get update -qq || die "apt-get update failed; run: ${sudo[*]:+sudo }apt-get update && ${sudo[*]:+sudo }$install"
    NEED_TOOLS_UPDATED=1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_pkgs[@]}" >/dev/null \
    || die "apt-get install failed; run: ${sudo[*]:+sudo }$install"
  for cmd in "${missing_cmds[@]}"; do
    have_command "$cmd" || die "$cmd is still missing after installing ${missing_pkgs[*]}"
  done
}

have_command() { command -v "$1" >/dev/null || [[ -x "/usr/sbin/$1" || -x "/sbin/$1" ]]; }

# What the demo needs (README, "Set up"): curl for health checks, mke2fs for the demo's ext4 image, clamd and yara for
# the scan of the recovery point it makes (the integrity service runs them).
DEMO_TOOLS=(curl:curl mke2fs:e2fsprogs clamd:clamav-daemon yara:yara)
# What the tests need beyond the demo's tools (README, "Set up"): ClamAV's clamd and YARA for the scans, The Sleuth
# Kit as the file-system readers' oracle, image builders for ext4/NTFS/XFS and partition tables, and headless
# Chromium for the dashboard's browser test.
# Node.js and npm run infra's IAM policy evaluator (@cloud-copilot/iam-simulate, see install_iam_eval).
TEST_TOOLS=("${DEMO_TOOLS[@]}" debugfs:e2fsprogs clamscan:clamav sigtool:clamav freshclam:clamav-freshclam fls:sleuthkit
  icat:sleuthkit mkntfs:ntfs-3g ntfscp:ntfs-3g sfdisk:fdisk mkfs.xfs:xfsprogs chromium:chromium node:nodejs npm:npm)
# What ./connector images needs (docs/integrity.md, "The scanner image"): mmdebstrap for the Debian root file system
# with clamd and YARA, umoci to pack it as an OCI image, unzip to read the service's jar for jdeps.
IMAGE_TOOLS=(mmdebstrap:mmdebstrap umoci:umoci unzip:unzip)

# install_iam_eval ROOT: the IAM policy evaluator infra's IamEvaluationTests runs (infra/iam-eval: the versions pinned by
# its package-lock.json), installed from the npm registry with `npm ci` when missing or older than the lock file;
# nothing is fetched when it is current.
install_iam_eval() {
  local dir="$1/infra/iam-eval"
  if [[ -f "$dir/node_modules/.package-lock.json" && ! "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    return 0
  fi
  step "Installing infra/iam-eval's npm packages (@cloud-copilot/iam-simulate: the IAM policy evaluator of the tests)"
  npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null \
    || die "npm ci in infra/iam-eval failed; run: npm ci --prefix infra/iam-eval"
}
