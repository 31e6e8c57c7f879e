#!/usr/bin/env bash
# Raw sqlite-jdbc against the engine as a replicating ASYNC leader on storage-local (DESIGN §7).
# One command: builds what it needs, then alternates JVMs of the two sides (raw, ha, raw, ha, ...)
# so both see the same machine, each side and operation in a JVM of its own (sharing one measured
# the JIT, see OverheadBench). Each JVM reports its best timed round; over the alternating rounds
# the script prints, per operation, the MEDIAN of each side (the steady figure on a shared
# machine, where a single lucky or unlucky round moves a best-of by 10 %):
#   op=<name> raw_ops_s=<n> ha_ops_s=<n> ratio=<ha/raw> cpu_ratio=<ha/raw per CPU second>
# then the same with each side's BEST round, as "# best op=..." lines, so nothing is hidden.
# (cpu_ratio charges the library's own threads, the shipper included.)
# Then lag_ms_p50=<n> lag_ms_p99=<n> (commit -> visible to a reader on a follower in the same
# JVM, storage-local) and sync_commits_s=<n> (SYNC, 16 concurrent writers, storage-local).
# Usage: benchmarks/sqlite-overhead.sh [rows, default 100000] [rounds, default 9]
# (9 rounds, about 12 minutes: with 5, one run's full-scan median fell to 0.77 of raw while
# its best rounds stood at par; JVM-to-JVM spread on this 2-core VM is 10-20 %.)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-100000}"
rounds="${2:-9}"

# Upstream modules without their tests (not needed here), then this module's test classes.
# (Maven's own output goes to stderr, so stdout holds only the figures.)
mvn -B -ntp -q -Dstyle.color=never -pl engine-sqlite -am install -Dmaven.test.skip=true >&2
mvn -B -ntp -q -Dstyle.color=never -pl engine-sqlite test-compile >&2
cp_file="$PWD/engine-sqlite/target/bench.classpath"
mvn -B -ntp -q -Dstyle.color=never -pl engine-sqlite dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp_file" >&2
cp="engine-sqlite/target/test-classes:engine-sqlite/target/classes:$(cat "$cp_file")"
bench() {
  # Library log lines go to stderr; the figures go to stdout.
  java -Xmx1g -cp "$cp" io.hadb.engine.sqlite.bench.OverheadBench "$@" 2>/dev/null
}

results="$(mktemp)"
trap 'rm -f "$results"' EXIT
ops="point_lookup range_scan_100 full_scan insert_autocommit update_by_pk batch_insert_1000_tx"
for ((r = 0; r < rounds; r++)); do
  for op in $ops; do
    bench raw "$rows" "$op" >> "$results"
    bench ha "$rows" "$op" >> "$results"
  done
done
awk -f benchmarks/overhead-summary.awk "$results"
bench lag "$rows"
bench sync "$rows"
