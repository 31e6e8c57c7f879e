#!/usr/bin/env bash
# Many databases in one JVM (DESIGN §9). One command: builds what it needs, then prints
#   dbs=<n> open_s=<n> rss_mb=<n> rss_per_db_kb=<n> heap_mb=<n> threads=<n> fds=<n> ports=<n> role=leader|follower
# for every count (a leader JVM opens the databases and leads them, then a follower JVM opens the
# same ones; open_s runs until every database is ready), then, at one count, what an idle window
# cost as counted by counting stores around the real ones (storage-local and the file: lease):
#   role=follower|leader storage_requests_per_idle_db_hour=<n> lease_ops_per_idle_db_hour=<n> (...)
# and the lag from a commit (SYNC) on the leader to the row being visible on a follower in another
# JVM, over storage-local and over S3Proxy:
#   storage=local|s3proxy lag_ms_p50=<n> lag_ms_p99=<n> (...)
# Usage: benchmarks/multi-db.sh [key=value ...]
#   counts=100,1000,10000  idleAt=1000  idle=120 (seconds)  lagRows=300  lagEveryMs=20
#   fsync=true  heap=<-Xmx of each JVM>  dir=<work directory, default a temporary one>
#   shape=node (one node per JVM hosting every database) | each (a node per database)
#   pauseMs=1000 (after the idle window the leader JVM is SIGSTOPped that long:
#     pause_ms=<n> dbs=<n> lost_leases=<n> all_led_again_s=<n>)
#   leadersPerJvm=2500 (a larger count is led by several leader JVMs, a line each with jvm=i/k, and
#     followed by one JVM: an idle leader keeps six files open and a process may open ulimit -n)
#   readIdleMs=2000 (the SQLite setting: read connections closed after this long unused)
set -euo pipefail
cd "$(dirname "$0")/.."

# Maven's own output goes to stderr: stdout carries only the figures.
mvn -B -ntp -q -Dstyle.color=never -pl hadb-coordinator -am install -Dmaven.test.skip=true >&2
mvn -B -ntp -q -Dstyle.color=never -pl hadb-coordinator test-compile >&2
cp_file="$PWD/hadb-coordinator/target/bench.classpath"
mvn -B -ntp -q -Dstyle.color=never -pl hadb-coordinator dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp_file" >&2
cp="hadb-coordinator/target/test-classes:hadb-coordinator/target/classes:$(cat "$cp_file")"
# Library log lines go to stderr; the figures go to stdout.
java -cp "$cp" io.hadb.coordinator.bench.MultiDbBench "$@" 2>/dev/null
