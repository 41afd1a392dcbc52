# Shell helpers of the scripts that start processes here (stack.sh, cluster.sh): sourced, with STATE set.
# Each process is started in a session of its own, its pid in $STATE/run/<name>.pid, its output in
# $STATE/logs/<name>.log, so that stop can end its whole process group.

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

alive() { [ -f "$STATE/run/$1.pid" ] && kill -0 "$(cat "$STATE/run/$1.pid")" 2>/dev/null; }

launch() {
  local name=$1; shift
  mkdir -p "$STATE/run" "$STATE/logs"
  # Appended: what an instance said before it was killed and started again is kept.
  echo "---- $(date -u +%FT%TZ) $name starting" >>"$STATE/logs/$name.log"
  setsid "$@" >>"$STATE/logs/$name.log" 2>&1 < /dev/null &
  echo $! >"$STATE/run/$name.pid"
}

stop_one() {
  local name=$1 pid i
  [ -f "$STATE/run/$name.pid" ] || return 0
  pid=$(cat "$STATE/run/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 30; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    log "Stopped $name"
  fi
  rm -f "$STATE/run/$name.pid"
}

# The key that encrypts research projects' keys: made once per machine, kept out of the repository.
research_key() {
  local file=$ROOT/.local/research-key
  if [ ! -s "$file" ]; then
    mkdir -p "$(dirname "$file")"
    (umask 077; head -c 32 /dev/urandom | base64 >"$file")
  fi
  cat "$file"
}

# The API's jar, built when the sources are newer.
api_jar() {
  local jar=target/quarkus-app/quarkus-run.jar
  if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
    log "Building the API"
    ./mvnw -q -B package -DskipTests
  fi
}
