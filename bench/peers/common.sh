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

# start_pishkhan starts the pishkhan binary $1 on a fresh data folder under
# $2 at 127.0.0.1:$3, publishes the peer benchmark's form there as admin,
# and writes the valid submission's body to $2/pishkhan-body.json; it sets
# P_URL and P_TOKEN.
start_pishkhan() {
  local bin=$1 dir=$2 port=$3
  PISHKHAN_ADMIN_PASSWORD=bench-admin-pass "$bin" --data-dir "$dir/pishkhan" --addr "127.0.0.1:$port" > "$dir/pishkhan.log" 2>&1 &
  pids+=($!)
  P_URL=http://127.0.0.1:$port
  wait_http "$P_URL/readyz"
  P_TOKEN=$(curl -sf -X POST "$P_URL/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"username": "admin", "password": "bench-admin-pass"}' | jq -r .token)
  curl -sf -o /dev/null -X PUT "$P_URL/api/v1/forms/peer-bench" -H "Authorization: Bearer $P_TOKEN" -H 'Content-Type: application/json' -d @"$PEERS_DIR/pishkhan-form.json"
  curl -sf -o /dev/null -X POST "$P_URL/api/v1/forms/peer-bench/publish" -H "Authorization: Bearer $P_TOKEN"
  jq -c '{form: "peer-bench", channel: "portal", data: .}' "$PEERS_DIR/submission.json" > "$dir/pishkhan-body.json"
}

# stop_last stops the process started last.
stop_last() {
  local pid=${pids[-1]}
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset 'pids[-1]'
}

# summary reads hey's per-request CSV (response-time,...,status-code,offset)
# and prints submissions/s over the run, p50 and p99 in ms, and how many
# answers were not 201. (hey's own percentile lines drop p99 on short runs.)
summary() {
  tail -n +2 "$1" | awk -F, '{print $1, $(NF-1), $NF}' | sort -n | awk '
    {t[NR] = $1; if ($2 != 201) bad++; end = ($3 + $1 > end) ? $3 + $1 : end}
    END {
      if (NR == 0) {print "0 0 0 no answers"; exit}
      i50 = int(NR * 0.50); i99 = int(NR * 0.99); if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1
      printf "%9.1f %9.1f %9.1f %s", NR / end, t[i50] * 1000, t[i99] * 1000, bad ? bad " not 201" : ""
    }'
}
