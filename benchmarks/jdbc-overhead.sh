#!/usr/bin/env bash
# Plain sqlite-jdbc through HikariCP against the hadb DataSource (hadb-jdbc) on a leader
# replicating ASYNC to file: storage, for the six operations of the SQLite overhead benchmark
# (DESIGN §7), the same JDBC code on both sides (JdbcOverheadBench). Alternates JVMs of the two
# sides (raw, hadb, raw, hadb, ...), each side and operation in a JVM of its own, and prints per
# operation the median of each side's best rounds and their ratio:
#   op=<name> raw_ops_s=<n> hadb_ops_s=<n> ratio=<hadb/raw>
# Usage: benchmarks/jdbc-overhead.sh [rows, default 100000] [rounds, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-100000}"
rounds="${2:-5}"

mvn -B -ntp -q -Dstyle.color=never -pl hadb-jdbc -am install -DskipTests -Dmaven.javadoc.skip=true \
    -Dmaven.source.skip=true >&2
mvn -B -ntp -q -Dstyle.color=never -pl hadb-jdbc test-compile >&2
cp_file="$PWD/hadb-jdbc/target/bench.classpath"
mvn -B -ntp -q -Dstyle.color=never -pl hadb-jdbc dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp_file" >&2
cp="hadb-jdbc/target/test-classes:hadb-jdbc/target/classes:$(cat "$cp_file")"
bench() {
  java -Xmx1g -cp "$cp" io.hadb.jdbc.bench.JdbcOverheadBench "$@" 2>/dev/null
}

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
ops="point_lookup range_scan_100 full_scan insert_autocommit update_by_pk batch_insert_1000_tx"
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 0; r < rounds; r++)); do
  for op in $ops; do
    bench raw "$rows" "$op" >> "$results"
    bench hadb "$rows" "$op" >> "$results"
  done
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk '
function median(list,   a, n, i, j, t) {
  n = split(list, a, " ")
  for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{ side = substr($1, 6); split($2, o, "="); split($3, v, "="); op = o[2]
  if (!(op in seen)) { seen[op] = 1; order[n++] = op }
  ops[side, op] = ops[side, op] " " v[2] }
END {
  for (i = 0; i < n; i++) { op = order[i]; r = median(ops["raw", op]); h = median(ops["hadb", op])
    printf "op=%s raw_ops_s=%s hadb_ops_s=%s ratio=%.3f\n", op, r, h, h / r } }' "$results"
