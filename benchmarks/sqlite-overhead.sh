#!/usr/bin/env bash
# Raw sqlite-jdbc against the engine as a replicating ASYNC leader on storage-local, in one run
# (DESIGN §7). Prints op=<name> raw_ops_s=<n> ha_ops_s=<n> ratio=<ha/raw> per operation, then
# lag_ms_p50/lag_ms_p99 (commit -> visible on a follower in the same JVM) and sync_commits_s
# (SYNC, 16 concurrent writers). Usage: benchmarks/sqlite-overhead.sh [rows, default 100000]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-100000}"

# Upstream modules without their tests (not needed here), then this module's test classes.
mvn -B -ntp -q -Dstyle.color=never -pl engine-sqlite -am install -Dmaven.test.skip=true
mvn -B -ntp -q -Dstyle.color=never -pl engine-sqlite test-compile
cp_file="$PWD/engine-sqlite/target/bench.classpath"
mvn -B -ntp -q -Dstyle.color=never -pl engine-sqlite dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp_file"
# Library warnings go to stderr; the figures go to stdout.
(cd engine-sqlite && java -Xmx1g -cp "target/test-classes:target/classes:$(cat "$cp_file")" \
    io.hadb.engine.sqlite.bench.OverheadBench "$rows")
