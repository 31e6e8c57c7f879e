#!/usr/bin/env bash
# benchmarks/sqlite-overhead.sh for two versions of the code at once: this checkout ("after")
# and another checkout of the repository ("before", e.g. a `git worktree` or `git archive` of the
# commit before a change). Both are built, then their JVMs alternate round by round and operation
# by operation (before raw, before ha, after raw, after ha, ...), so both versions see the same
# machine, which on a shared machine matters more than the number of rounds. Prints
# sqlite-overhead.sh's summary for each version (medians, then "# best" lines), then each
# version's lag and SYNC figures, also interleaved.
# Usage: benchmarks/sqlite-overhead-compare.sh <before-checkout> [rows, default 100000] [rounds, default 9]
# (9 rounds: about 30 minutes.) OPS="range_scan_100 full_scan" repeats only those operations, to
# tell a miss from noise.
set -euo pipefail
cd "$(dirname "$0")/.."
before="$(cd "$1" && pwd)"
after="$PWD"
rows="${2:-100000}"
rounds="${3:-9}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Builds one checkout (with its own .mvn/maven.config, if any) and copies what the benchmark
# runs into $work/<name>, so later builds of either checkout do not change it mid-run.
snapshot() {
  local name="$1" dir="$2"
  (cd "$dir" && mvn -B -ntp -o -q -Dstyle.color=never -pl engine-sqlite -am install -Dmaven.test.skip=true >&2 \
    && mvn -B -ntp -o -q -Dstyle.color=never -pl engine-sqlite test-compile >&2 \
    && mvn -B -ntp -o -q -Dstyle.color=never -pl engine-sqlite dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$work/$name.classpath" >&2)
  mkdir -p "$work/$name/lib"
  cp -r "$dir/engine-sqlite/target/classes" "$work/$name/classes"
  cp -r "$dir/engine-sqlite/target/test-classes" "$work/$name/test-classes"
  tr ':' '\n' < "$work/$name.classpath" | while read -r jar; do cp "$jar" "$work/$name/lib/"; done
}
snapshot before "$before"
snapshot after "$after"

bench() {
  local name="$1"; shift
  java -Xmx1g -cp "$work/$name/test-classes:$work/$name/classes:$(ls "$work/$name"/lib/*.jar | tr '\n' ':')" \
    io.hadb.engine.sqlite.bench.OverheadBench "$@" 2>/dev/null
}

ops="${OPS:-point_lookup range_scan_100 full_scan insert_autocommit update_by_pk batch_insert_1000_tx}"
for ((r = 0; r < rounds; r++)); do
  echo "round $r: $(uptime)" >&2
  for op in $ops; do
    for name in before after; do
      bench "$name" raw "$rows" "$op" >> "$work/$name.results"
      bench "$name" ha "$rows" "$op" >> "$work/$name.results"
    done
  done
done
for name in before after; do
  : > "$work/$name.tail"
done
for i in 1 2; do
  for name in before after; do
    bench "$name" lag "$rows" >> "$work/$name.tail"
  done
done
for name in before after; do
  bench "$name" sync "$rows" >> "$work/$name.tail"
done

for name in before after; do
  echo "== $name"
  awk -f benchmarks/overhead-summary.awk "$work/$name.results"
  cat "$work/$name.tail"
done
