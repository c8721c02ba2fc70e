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
  die "JDK 25 or newer not found: install Temurin 25 (e.g. /usr/lib/jvm/temurin-25-jdk-amd64) or set JAVA_HOME"
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
  die "moto_server not found: pip install 'moto[server]>=5.2.1' (5.2.0 breaks multipart uploads)"
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
