# Sourced by scripts/server, scripts/client and scripts/compare: builds the jars when one is missing or when any
# source or pom is newer than it, so that a playground never measures stale code; otherwise does nothing.
# Usage: fresh_jars ROOT JAR [JAR ...]
fresh_jars() {
  local root="$1"; shift
  local jar why=""
  for jar in "$@"; do
    if [[ ! -f "$jar" ]]; then
      why="no $(basename "$jar") yet: building"
      break
    fi
    if [[ -n "$(find "$root/pom.xml" "$root"/*/pom.xml "$root"/*/src/main -newer "$jar" -type f -print -quit 2>/dev/null)" ]]; then
      why="sources changed: rebuilding"
      break
    fi
  done
  if [[ -n "$why" ]]; then
    echo "$why ..." >&2
    # Maven's output only if the build fails, and without colour codes: it often goes to a log, not a terminal
    local out
    out="$(mktemp)"
    if ! (cd "$root" && mvn -B -q -Dstyle.color=never -DskipTests package) >"$out" 2>&1; then
      cat "$out" >&2
      rm -f "$out"
      return 1
    fi
    rm -f "$out"
  fi
}
