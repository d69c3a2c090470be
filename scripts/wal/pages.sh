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
set -euo pipefail
BIN=$1; PORT=${2:-18310}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
d=$(mktemp -d)
PISHKHAN_ADMIN_PASSWORD=wal-pages-admin "$BIN" --data-dir "$d/data" --addr "127.0.0.1:$PORT" > "$d/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$d"' EXIT
URL=http://127.0.0.1:$PORT
for _ in $(seq 1 300); do curl -s -o /dev/null "$URL/readyz" && break; sleep 0.2; done
T=$(curl -sf -X POST "$URL/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"username": "admin", "password": "wal-pages-admin"}' | jq -r .token)
curl -sf -o /dev/null -X PUT "$URL/api/v1/forms/peer-bench" -H "Authorization: Bearer $T" -H 'Content-Type: application/json' -d @"$REPO/bench/peers/pishkhan-form.json"
curl -sf -o /dev/null -X POST "$URL/api/v1/forms/peer-bench/publish" -H "Authorization: Bearer $T"
jq -c '{form: "peer-bench", channel: "portal", data: .}' "$REPO/bench/peers/submission.json" > "$d/body"
submit() { curl -sf -o /dev/null -X POST "$URL/api/v1/requests" -H "Authorization: Bearer $T" -H 'Content-Type: application/json' -d @"$d/body"; }
# frames prints the WAL's valid frames and commits: those after its header
# whose salt is the header's.
frames() {
  python3 - "$d/data/pishkhan.sqlite-wal" <<'PY'
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
