#!/usr/bin/env bash
# Approval lifecycles per second: Pishkhan's engine on the embedded store
# with 1,000 open requests (engine/bench_test.go BenchmarkLifecycle, with
# and without its dispatcher delivering the notifications and archiving
# each closed request) against bpmn-engine 25 in memory (bpmn-approval.mjs,
# the same process as BPMN, with expression and with JavaScript
# conditions). Rounds alternate the sides so both see the same machine;
# the ratios are of the medians.
#
#   bench/peers/lifecycles.sh                 # 2 rounds, 100 Pishkhan and 500 bpmn-engine lifecycles each
#   ROUNDS=3 GO_N=200 BPMN_N=1000 bench/peers/lifecycles.sh
source "$(dirname "$0")/common.sh"
ROUNDS=${ROUNDS:-2}
GO_N=${GO_N:-100}
BPMN_N=${BPMN_N:-500}

install_peers
npm="$PEERS_WORK/npm"
cp "$PEERS_DIR/bpmn-approval.mjs" "$PEERS_DIR/approval.bpmn" "$PEERS_DIR/approval-script.bpmn" "$npm/"
out=$(mktemp -d "$PEERS_WORK/lifecycles.XXXXXX")
machine
echo "bpmn-engine $(node -p "require('$npm/node_modules/bpmn-engine/package.json').version"), in memory; Pishkhan: embedded store, open=1000"
for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r"
  (cd "$REPO" && go test -run '^$' -bench 'Lifecycle/engine(\+delivery)?/open=1000$' -benchtime "${GO_N}x" ./engine/) | tee "$out/go-$r.txt" | grep '^Benchmark'
  for model in approval.bpmn approval-script.bpmn; do
    (cd "$npm" && node bpmn-approval.mjs "$model" "$BPMN_N") | tee -a "$out/bpmn-$r.txt"
  done
  e=$(awk '/^BenchmarkLifecycle\/engine\/open=1000/ {for (i = 1; i <= NF; i++) if ($(i+1) == "lifecycles/s") print $i}' "$out/go-$r.txt")
  x=$(jq -r 'select(.model == "approval.bpmn") | .perSecond' "$out/bpmn-$r.txt")
  awk -v e="$e" -v x="$x" 'BEGIN {printf "round ratio: engine/expression %.2fx\n", e / x}'
done

# median of the numbers on stdin
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
engine=$(cat "$out"/go-*.txt | awk '/^BenchmarkLifecycle\/engine\/open=1000/ {for (i = 1; i <= NF; i++) if ($(i+1) == "lifecycles/s") print $i}' | median)
delivery=$(cat "$out"/go-*.txt | awk '/^BenchmarkLifecycle\/engine\+delivery\/open=1000/ {for (i = 1; i <= NF; i++) if ($(i+1) == "lifecycles/s") print $i}' | median)
expr=$(cat "$out"/bpmn-*.txt | jq -r 'select(.model == "approval.bpmn") | .perSecond' | median)
script=$(cat "$out"/bpmn-*.txt | jq -r 'select(.model == "approval-script.bpmn") | .perSecond' | median)
echo; echo "== medians of $ROUNDS rounds, lifecycles/s (target: Pishkhan >= bpmn-engine)"
awk -v e="$engine" -v d="$delivery" -v x="$expr" -v s="$script" 'BEGIN {
  printf "pishkhan engine (steps persisted)          %8.1f\n", e
  printf "pishkhan engine+delivery (and archived)    %8.1f\n", d
  printf "bpmn-engine, expression conditions         %8.1f\n", x
  printf "bpmn-engine, JavaScript conditions         %8.1f\n", s
  printf "ratios: engine/expression %.2fx, engine+delivery/expression %.2fx, engine/script %.2fx, engine+delivery/script %.2fx\n", e / x, d / x, e / s, d / s
}'
