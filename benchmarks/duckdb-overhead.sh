#!/usr/bin/env bash
# Raw duckdb_jdbc against the duckdb engine as a replicating ASYNC leader on storage-local and a
# follower of it, on the same table of 1M rows (DESIGN §6.6, §7). One command: builds what it
# needs, then alternates JVMs of the sides (raw, leader, follower, raw, ...) so all see the same
# machine, each side and operation in a JVM of its own. Each JVM reports its best timed round;
# over the rounds the script prints, per operation, the MEDIAN of each side:
#   op=<name> raw_ops_s=<n> ha_ops_s=<n> ratio=<ha/raw>
# (reads twice: <name>@leader and <name>@follower; writes on the leader), then
#   lag_ms_p50=<n> lag_ms_p99=<n>   1-row batch commit on the leader -> visible to a reader of a
#                                   follower in the same JVM (storage-local, ASYNC)
#   bytes_shipped_per_row op=update_1row ... and op=bulk_insert_100k ...
# and, as "# granularity" lines, what the same two changes cost at 4 KiB pages vs 256 KiB blocks.
# Usage: benchmarks/duckdb-overhead.sh [rows, default 1000000] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
rounds="${2:-3}"

mvn -B -ntp -q -Dstyle.color=never -pl engine-duckdb -am install -Dmaven.test.skip=true >&2
mvn -B -ntp -q -Dstyle.color=never -pl engine-duckdb test-compile >&2
cp_file="$PWD/engine-duckdb/target/bench.classpath"
mvn -B -ntp -q -Dstyle.color=never -pl engine-duckdb dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp_file" >&2
cp="engine-duckdb/target/test-classes:engine-duckdb/target/classes:$(cat "$cp_file")"
bench() {
  java -Xmx2g -cp "$cp" io.hadb.engine.duckdb.bench.DuckdbOverheadBench "$@" 2>/dev/null
}

echo "# $(date -u +%FT%TZ) rows=$rows rounds=$rounds load: $(cut -d' ' -f1-3 /proc/loadavg)"
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
reads="aggregate filter point_lookup"
writes="bulk_insert_100k update_1row"
for ((r = 0; r < rounds; r++)); do
  for op in $reads; do
    bench raw "$rows" "$op" >> "$results"
    bench leader "$rows" "$op" >> "$results"
    bench follower "$rows" "$op" >> "$results"
  done
  for op in $writes; do
    bench raw "$rows" "$op" >> "$results"
    bench leader "$rows" "$op" >> "$results"
  done
done
awk '
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { split($1, s, "="); split($2, o, "="); split($3, v, "="); side = s[2]; op = o[2]
    if (!(op in seen)) { seen[op] = 1; order[n++] = op }
    ops[side, op] = ops[side, op] " " v[2] }
  END {
    for (i = 0; i < n; i++) { op = order[i]; r = median(ops["raw", op])
      h = median(ops["leader", op])
      printf "op=%s@leader raw_ops_s=%s ha_ops_s=%s ratio=%.3f\n", op, r, h, h / r
      if (("follower", op) in ops) { f = median(ops["follower", op])
        printf "op=%s@follower raw_ops_s=%s ha_ops_s=%s ratio=%.3f\n", op, r, f, f / r } }
  }' "$results"
bench lag "$rows"
bench bytes "$rows"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
