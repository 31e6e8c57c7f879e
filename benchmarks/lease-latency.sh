#!/usr/bin/env bash
# Median and p99 latency of one lease compare-and-set on loopback nats-server and etcd, next to
# the raw client call in the same run. Usage: benchmarks/lease-latency.sh [operations, default 2000]
# Needs nats-server and etcd (Debian packages nats-server, etcd-server), like the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
ops="${1:-2000}"

# Maven's own output goes to stderr: stdout carries only the figures.
mvn -B -ntp -q -Dstyle.color=never -pl lease-nats,lease-etcd -am install -DskipTests >&2
for module in lease-nats lease-etcd; do
  cp_file="$PWD/$module/target/bench.classpath"
  mvn -B -ntp -q -Dstyle.color=never -pl "$module" dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$cp_file" >&2
  case "$module" in
    lease-nats) main=io.hadb.lease.nats.NatsCasLatencyBenchmark ;;
    lease-etcd) main=io.hadb.lease.etcd.EtcdCasLatencyBenchmark ;;
  esac
  # Library logging (jetcd's SLF4J notice, jnats' JUL) goes to stderr; the figures go to stdout.
  (cd "$module" && java -cp "target/test-classes:target/classes:$(cat "$cp_file")" "$main" "$ops" 2>/dev/null)
done
