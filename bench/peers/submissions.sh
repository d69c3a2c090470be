#!/usr/bin/env bash
# Validated submissions per second: Pishkhan against Form.io 4.6.7, each on
# a fresh embedded store (FerretDB v1.24.2 on SQLite), the same ten-field
# form and rules on both sides, over HTTP on loopback, driven by the same
# load driver (hey) at the same concurrency levels, alternating sides at
# each level so both see the same machine.
#
#   bench/peers/submissions.sh                # levels 1 4 16, 10 s each
#   LEVELS="1 4 16 64" DURATION=20s bench/peers/submissions.sh
#
# Form.io's store is a fresh Pishkhan embedded store served on loopback
# (`pishkhan --store-addr`): the same FerretDB v1.24.2 and SQLite code,
# and the same write serialisation, that Pishkhan's own side runs on.
source "$(dirname "$0")/common.sh"
LEVELS=${LEVELS:-"1 4 16"}
DURATION=${DURATION:-10s}
P_PORT=${P_PORT:-18181}; F_PORT=${F_PORT:-18182}; S_PORT=${S_PORT:-18183}; STORE_PORT=${STORE_PORT:-27183}
F_URL=http://127.0.0.1:$F_PORT

install_peers
build_tools
run=$(mktemp -d "$PEERS_WORK/run.XXXXXX")
echo "work folder: $run"

# Pishkhan, fresh data folder, the form published.
start_pishkhan pishkhan "$run" "$P_PORT"
# Form.io's store: another fresh embedded store, served on loopback.
pishkhan --data-dir "$run/formio-store" --addr "127.0.0.1:$S_PORT" --store-addr "127.0.0.1:$STORE_PORT" > "$run/formio-store.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$S_PORT/readyz"
(cd "$PEERS_WORK/npm/node_modules/formio" && \
  ROOT_EMAIL=admin@example.com ROOT_PASSWORD=bench-admin-pass \
  NODE_CONFIG="{\"mongo\": \"mongodb://127.0.0.1:$STORE_PORT/formio\", \"port\": $F_PORT, \"jwt\": {\"secret\": \"bench-$RANDOM$RANDOM\"}, \"mongoSecret\": \"bench-$RANDOM$RANDOM\"}" \
  exec node --no-node-snapshot main.js) > "$run/formio.log" 2>&1 &
pids+=($!)
wait_http "$F_URL/form"
for _ in $(seq 1 300); do grep -q 'Serving the Form.io' "$run/formio.log" && break; sleep 0.2; done

# Publish the form on Form.io's side too.
F_TOKEN=$(curl -sf -D - -o /dev/null -X POST "$F_URL/admin/login" -H 'Content-Type: application/json' \
  -d '{"data": {"email": "admin@example.com", "password": "bench-admin-pass"}}' | awk 'tolower($1) == "x-jwt-token:" {print $2}' | tr -d '\r')
ANON=$(curl -sf "$F_URL/role" -H "x-jwt-token: $F_TOKEN" | jq -r '.[] | select(.default) | ._id')
sed "s/ANONYMOUS/$ANON/g" "$PEERS_DIR/formio-form.json" | curl -sf -o /dev/null -X POST "$F_URL/form" -H "x-jwt-token: $F_TOKEN" -H 'Content-Type: application/json' -d @-

# The bodies: Pishkhan wraps the data in a submission (start_pishkhan
# wrote it), Form.io in {data}.
jq -c '{data: .}' "$PEERS_DIR/submission.json" > "$run/formio-body.json"
P_POST=(-X POST "$P_URL/api/v1/requests" -H 'Content-Type: application/json' -H "Authorization: Bearer $P_TOKEN")
F_POST=(-X POST "$F_URL/peerbench/submission" -H 'Content-Type: application/json')

# Both must accept the valid submission and refuse each invalid one, naming
# the field that broke its rule: the comparison is of validated work.
echo; echo "== the same submissions refused (status, field named)"
printf '%-28s %-22s %-22s\n' case pishkhan formio
code=$(curl -s -o "$run/out" -w '%{http_code}' "${P_POST[@]}" -d @"$run/pishkhan-body.json")
fcode=$(curl -s -o "$run/fout" -w '%{http_code}' "${F_POST[@]}" -d @"$run/formio-body.json")
printf '%-28s %-22s %-22s\n' "valid" "$code" "$fcode"
[ "$code" = 201 ] && [ "$fcode" = 201 ] || { echo "the valid submission must be accepted by both"; exit 1; }
refused=0
while read -r c; do
  data=$(jq -c --argjson c "$c" '(. + ($c.set // {})) | del(.[$c.remove // "-"])' "$PEERS_DIR/submission.json")
  field=$(jq -r '.remove // (.set | keys[0])' <<<"$c")
  code=$(curl -s -o "$run/out" -w '%{http_code}' "${P_POST[@]}" -d "{\"form\": \"peer-bench\", \"channel\": \"portal\", \"data\": $data}")
  pfield=$(jq -r '[.errors[]?.pointer] | join(",")' "$run/out" 2>/dev/null || true)
  fcode=$(curl -s -o "$run/fout" -w '%{http_code}' "${F_POST[@]}" -d "{\"data\": $data}")
  ffield=$(jq -r '[.details[]?.path | join(".")] | join(",")' "$run/fout" 2>/dev/null || true)
  printf '%-28s %-22s %-22s\n' "$(jq -r .case <<<"$c")" "$code $pfield" "$fcode $ffield"
  if [ "$code" -ge 400 ] && [ "$code" -lt 500 ] && [ "$pfield" = "/data/$field" ] && [ "$fcode" -ge 400 ] && [ "$fcode" -lt 500 ] && [ "$ffield" = "$field" ]; then
    refused=$((refused + 1))
  fi
done < <(jq -c '.[]' "$PEERS_DIR/invalid.json")
total=$(jq length "$PEERS_DIR/invalid.json")
echo "refused by both, naming the field: $refused of $total"
[ "$refused" = "$total" ] || { echo "the sides do not refuse the same submissions"; exit 1; }

echo; machine
echo "== validated submissions, $DURATION per side and level, sides alternating"
printf '%-8s %-9s %9s %9s %9s\n' clients side 'subm/s' 'p50 ms' 'p99 ms'
declare -A rate
for c in $LEVELS; do
  hey -z "$DURATION" -c "$c" -m POST -T application/json -H "Authorization: Bearer $P_TOKEN" -D "$run/pishkhan-body.json" -o csv "$P_URL/api/v1/requests" > "$run/hey-pishkhan-$c.csv"
  hey -z "$DURATION" -c "$c" -m POST -T application/json -D "$run/formio-body.json" -o csv "$F_URL/peerbench/submission" > "$run/hey-formio-$c.csv"
  for side in pishkhan formio; do
    line=$(summary "$run/hey-$side-$c.csv")
    rate[$side-$c]=$(awk '{print $1}' <<<"$line")
    printf '%-8s %-9s %s\n' "$c" "$side" "$line"
  done
done
echo; echo "== ratio (Pishkhan / Form.io submissions per second; target >= 10)"
for c in $LEVELS; do
  awk -v c="$c" -v p="${rate[pishkhan-$c]}" -v f="${rate[formio-$c]}" 'BEGIN {printf "%3d clients: %6.1f / %6.1f = %5.2fx\n", c, p, f, p / f}'
done
