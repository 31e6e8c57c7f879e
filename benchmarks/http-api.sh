#!/usr/bin/env bash
# hadb serve's HTTP API against the Java facade in one run: writes and reads per second on the
# leader with 16 concurrent clients, writes through a follower, and the forwarded writes' p50/p99.
# Usage: benchmarks/http-api.sh [-Dbench.seconds=5] [-Dbench.clients=16]   (about a minute)
set -euo pipefail
cd "$(dirname "$0")/.."

# Maven's own output goes to stderr: stdout carries only the figures.
mvn -B -ntp -q -Dstyle.color=never -pl hadb-cli -am install -DskipTests -Dmaven.javadoc.skip=true \
    -Dmaven.source.skip=true >&2
cp_file="$PWD/hadb-cli/target/bench.classpath"
mvn -B -ntp -q -Dstyle.color=never -pl hadb-cli dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp_file" >&2
# Library logging goes to stderr; the figures go to stdout.
(cd hadb-cli && java "$@" -cp "target/test-classes:target/classes:$(cat "$cp_file")" \
    io.hadb.cli.bench.HttpApiBenchmark 2>/dev/null)
