#!/bin/sh
# kpi-sql.sh DB_FILE FROM TO [EXTRA_CONDITION]: runs the SQL that answers
# pishkhanKPIDays (engine/mongostore/embedded/fastpaths.go) on a stopped
# store's database file with the sqlite3 shell, and prints its time (real,
# and the CPU it used: on a shared machine the wall clock mostly measures
# the queue for a core). EXTRA_CONDITION is SQL on kr, e.g.
# "AND kr.channel IN ('phone')".
set -eu
db=$1 from=$2 to=$3 extra=${4:-}
table() { sqlite3 "file:$db?mode=ro" "SELECT table_name FROM _ferretdb_collections WHERE name = '$1'"; }
w=$(table requests) a=$(table requestsArchiveKPIs)
sqlite3 "file:$db?mode=ro" <<SQL
.timer on
WITH sel(tbl, id) AS (
	SELECT tbl, id FROM pishkhan_kpi_days WHERE d >= '$from' AND d <= '$to'
	UNION SELECT tbl, id FROM pishkhan_kpi_requests WHERE tbl IN ('$w', '$a') AND resolved = '' AND created < '$from'
	UNION SELECT tbl, id FROM pishkhan_kpi_requests WHERE tbl IN ('$w', '$a') AND resolved >= '$from' AND created < '$from')
SELECT count(*) AS "day figures", sum(s) AS "their sum" FROM (SELECT kd.d, e.key, sum(e.value) AS s FROM sel
	CROSS JOIN pishkhan_kpi_requests kr ON kr.tbl = sel.tbl AND kr.id = sel.id
	CROSS JOIN pishkhan_kpi_days kd ON kd.tbl = sel.tbl AND kd.id = sel.id,
	json_each(kd.facts) AS e
WHERE kd.d <= '$to' AND e.type = 'integer' AND kr.tbl IN ('$w', '$a')
	AND (kr.tbl = '$w' OR NOT EXISTS (SELECT 1 FROM pishkhan_kpi_requests x WHERE x.tbl = '$w' AND x.id = kr.id)) $extra
GROUP BY kd.d, e.key);
SQL
