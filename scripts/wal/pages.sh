#!/usr/bin/env bash
# WAL pages per submission: how many SQLite pages (frames of the WAL file,
# each 4 KiB and a 24-byte header, each one written and synced) and how
# many commits a validated submission and what the outbox does for it
# cost the embedded store. A deterministic measure of a write's I/O, where
# throughput on a shared machine is too noisy to show a change of 20%.
#
#   go build -o /tmp/pishkhan ./cmd/pishkhan
#   scripts/wal/pages.sh /tmp/pishkhan [port]
#
# It starts the binary on a fresh data folder, publishes the peer
# benchmark's form (bench/peers/pishkhan-form.json), sends 5 submissions,
# counts the WAL's frames, sends 20 more one at a time (each given time to
# be delivered), counts again, and prints the difference per submission.
# A checkpoint in between starts the WAL again: then it tries again.
BIN=$1; PORT=${2:-18310}
source "$(dirname "$0")/../../bench/peers/common.sh"
d=$(mktemp -d)
trap 'stop_all; rm -rf "$d"' EXIT
start_pishkhan "$BIN" "$d" "$PORT"
submit() { curl -sf -o /dev/null -X POST "$P_URL/api/v1/requests" -H "Authorization: Bearer $P_TOKEN" -H 'Content-Type: application/json' -d @"$d/pishkhan-body.json"; }
# frames prints the WAL's valid frames and commits: those after its header
# whose salt is the header's.
frames() {
  python3 - "$d/pishkhan/pishkhan.sqlite-wal" <<'PY'
import struct, sys
wal = open(sys.argv[1], 'rb').read()
_, _, page, _, s1, s2, _, _ = struct.unpack('>8I', wal[:32])
off, n, commits = 32, 0, 0
while off + 24 + page <= len(wal):
    _, commit, f1, f2 = struct.unpack('>4I', wal[off:off + 16])
    if (f1, f2) != (s1, s2):
        break
    n, commits, off = n + 1, commits + (commit != 0), off + 24 + page
print(n, commits)
PY
}
for _ in 1 2 3 4 5; do
  for _ in 1 2 3 4 5; do submit; done
  sleep 0.5
  read -r a ac < <(frames)
  for _ in $(seq 20); do submit; sleep 0.1; done
  sleep 0.5
  read -r b bc < <(frames)
  if [ "$b" -gt "$a" ]; then
    awk -v f=$((b - a)) -v c=$((bc - ac)) 'BEGIN {printf "per submission: %.1f WAL pages, %.1f commits\n", f / 20, c / 20}'
    exit 0
  fi
done
echo "the WAL started again at every try" >&2; exit 1
