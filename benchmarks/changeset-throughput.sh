#!/usr/bin/env bash
# HADBP encode+hash and decode+verify throughput for 4 KiB pages (plain and zstd), beside raw
# MessageDigest SHA-256 over the same bytes in the same run (JMH 1.37, hadb-changeset test scope).
# Prints: changeset_encode_mb_s=<n> sha256_mb_s=<n> ratio=<encode/sha256> (and decode, zstd lines).
# Usage: benchmarks/changeset-throughput.sh [-Dbench.iterations=5 -Dbench.warmups=3
#        -Dbench.seconds=1 -Dbench.forks=1 -Dbench.pages=256]
# Only Maven and the JDK it runs on are needed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Compiles main and test code (JMH's annotation processor generates the harness); no tests run.
mvn -B -ntp -q -Dstyle.color=never -pl hadb-changeset -am install -DskipTests
cp_file="$PWD/hadb-changeset/target/bench.classpath"
mvn -B -ntp -q -Dstyle.color=never -pl hadb-changeset dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
cd hadb-changeset
# JMH forks its measuring JVMs with this JVM's class path, so it must be given with -cp.
java "$@" -cp "target/test-classes:target/classes:$(cat "$cp_file")" \
    io.hadb.changeset.bench.ChangesetThroughput
