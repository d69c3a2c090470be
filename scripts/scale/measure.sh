#!/bin/sh
# measure.sh BINARY DATA_DIR PORT SECONDS: starts `BINARY serve --demo` on
# DATA_DIR (a store preloaded with `pishkhan bench --preload N
# --preload-store ...`), and measures it as docs/benchmarks.md "At scale"
# records: the server's RSS idle; inbox, KPI and tracking (a find by _id:
# the baseline) latencies with two clients doing only those; then the
# default mix with eight clients, RSS sampled every second. Prints
# everything to stdout and stops the server.
set -eu
bin=$1 dir=$2 port=$3 secs=$4
url=http://127.0.0.1:$port
"$bin" serve --demo --data-dir "$dir" --addr 127.0.0.1:$port --admin-password adminadmin123 \
	--track-rate 100000 --log-level warn >"$dir.serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
started=$(date +%s)
until curl -sf "$url/readyz" >/dev/null 2>&1; do
	kill -0 $pid || { cat "$dir.serve.log"; exit 1; }
	sleep 1
done
echo "started in $(($(date +%s) - started)) s (side tables built or checked)"
rss() { awk '/VmRSS/ {print int($2/1024) " MiB"}' /proc/$pid/status; }
sleep 10
echo "RSS idle: $(rss)"
echo "== reads only: inbox, KPIs (30 days), tracking (find by _id), 2 clients, $secs s"
"$bin" bench --url "$url" --duration "${secs}s" --concurrency 2 --mix inbox=1,kpis=1,track=1
echo "RSS after reads: $(rss)"
echo "== default mix, 8 clients, $secs s"
peak=0
( while kill -0 $pid 2>/dev/null; do awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status; sleep 1; done ) >"$dir.rss" &
sampler=$!
"$bin" bench --url "$url" --duration "${secs}s" --concurrency 8
kill $sampler 2>/dev/null || true
echo "RSS under the mix: peak $(sort -n "$dir.rss" | tail -1) MiB, median $(sort -n "$dir.rss" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') MiB"
echo "RSS after: $(rss)"
