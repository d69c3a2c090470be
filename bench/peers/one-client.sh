#!/usr/bin/env bash
# One client's validated submissions per second, binaries taking turns: an
# A/B of two (or more) builds of Pishkhan in one run, so that they see the
# same machine. Each turn starts a binary on a fresh data folder, publishes
# the peer benchmark's form, and drives it with hey, one client, for
# DURATION.
#
#   git worktree add /tmp/before-tree a87738a && (cd /tmp/before-tree && go build -o /tmp/before ./cmd/pishkhan)
#   go build -o /tmp/after ./cmd/pishkhan
#   ROUNDS=4 DURATION=10s bench/peers/one-client.sh /tmp/before /tmp/after
#
# C=4 drives each with four clients instead.
source "$(dirname "$0")/common.sh"
[ $# -ge 1 ] || { echo "usage: $0 binary [binary...]" >&2; exit 2; }
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
C=${C:-1}
PORT=${PORT:-18191}
[ -x "$PEERS_WORK/bin/hey" ] || GOBIN="$PEERS_WORK/bin" go install github.com/rakyll/hey@v0.1.4
run=$(mktemp -d "$PEERS_WORK/run.XXXXXX")
machine
printf '%-6s %-40s %9s %9s %9s\n' round binary 'subm/s' 'p50 ms' 'p99 ms'
for r in $(seq 1 "$ROUNDS"); do
  for bin in "$@"; do
    dir=$(mktemp -d "$run/side.XXXX")
    start_pishkhan "$bin" "$dir" "$PORT"
    hey -z "$DURATION" -c "$C" -m POST -T application/json -H "Authorization: Bearer $P_TOKEN" -D "$dir/pishkhan-body.json" -o csv "$P_URL/api/v1/requests" > "$dir/hey.csv"
    stop_last
    printf '%-6s %-40s %s\n' "$r" "$bin" "$(summary "$dir/hey.csv")"
    rm -rf "$dir"
  done
done
