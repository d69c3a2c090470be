# Shared by the peers scripts: where things are installed, and how the
# processes they start are stopped. Sourced, not run.
set -euo pipefail
PEERS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$PEERS_DIR/../.." && pwd)
# PEERS_WORK keeps the installed peers and the built binaries between runs
# (it is git-ignored); each run's stores are fresh folders under it.
PEERS_WORK=${PEERS_WORK:-$REPO/bench/peers/.work}
export PATH="$PATH:/usr/local/go/bin:$PEERS_WORK/bin"
mkdir -p "$PEERS_WORK/bin"

pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT

# install_peers puts the npm packages of package.json (exact versions,
# inputmask pinned by an override) under $PEERS_WORK/npm.
install_peers() {
  local npm="$PEERS_WORK/npm"
  mkdir -p "$npm"
  if ! cmp -s "$PEERS_DIR/package.json" "$npm/package.json"; then
    cp "$PEERS_DIR/package.json" "$npm/package.json"
    (cd "$npm" && npm install --no-audit --no-fund --loglevel=error)
  fi
  # The formio package on npm lacks the banner its server prints at start.
  [ -f "$npm/node_modules/formio/welcome.txt" ] || echo "Form.io" > "$npm/node_modules/formio/welcome.txt"
}

# build_tools builds pishkhan from this checkout and the load driver, hey
# (github.com/rakyll/hey v0.1.4), which both sides are driven with.
build_tools() {
  (cd "$REPO" && go build -o "$PEERS_WORK/bin/pishkhan" ./cmd/pishkhan)
  [ -x "$PEERS_WORK/bin/hey" ] || GOBIN="$PEERS_WORK/bin" go install github.com/rakyll/hey@v0.1.4
}

# wait_http waits until url answers at all (any status).
wait_http() {
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.2
  done
  echo "no answer from $1" >&2; return 1
}

machine() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB, $(go version | cut -d' ' -f3), node $(node --version), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
