#!/usr/bin/env bash
# A database's life on storage-local (DESIGN §10): an ASYNC leader writes a long history of
# single-row commits with the default snapshot policy (SnapshotPolicy.defaults(): 500
# changesets, 16 MiB or a day, scaled above 64 MiB of database, which these never reach; last 4,
# 7 daily, 4 weekly, 3 monthly), then the same with
# a snapshot every 50 changesets, then with snapshots off, each in a JVM of its own. At 10,000 commits and at the end it prints
#   snapshots=on|every50|off ... commits=<n> head_seq=<n> base_seq=<n> db_mb=<n> restart_ms=<n>
#     stale_restart_ms=<n> cold_follower_ms=<n> objects_in_storage=<n> restart_replayed_changesets=<n>
#     stale_restart_replayed_changesets=<n>
# (restart: a follower that was caught up and went down for the last 1,000 commits reopens;
# stale restart: a node whose copy stopped at commit 100 reopens, which is the base snapshot and
# the tail, so it grows with the database's size; cold follower: an empty copy opens; each the
# median of 5 after 4 unmeasured reopens), then
#   ... side_by_side_pairs=15 restart_ms_at_10000=<n> restart_ms_at_<end>=<n> restart_ratio=<x>
#     tail_kb_at_10000=<n> tail_kb_at_<end>=<n>
# (the chain as it stood at 10,000 commits is kept aside, and restarts against it and against the
# chain at the end run in turn in the warm JVM: the ratio the target is about, not skewed by a
# younger JVM or by the load moving between the two points), then restore_to_time_ms (a restore to the time of the
# commit 1 % before the end, inside the point-in-time window), and for snapshots on the
# policy's objects_bound. workload=update runs the same history on a database of constant size
# (10,000 rows, one updated per commit), where only the history grows.
# Manifests live in lease-mem (in process); the collection's grace period
# is 0 here (months of history are written in minutes) unless given. First, snapshot_heap_peak_mb:
# the JVM's peak heap use while it snapshots a 256 MB database with -Xmx64m (streamed, never whole).
# Then the same with SYNC commits (one changeset each) for a shorter history, on and off.
# Usage: benchmarks/lifecycle.sh [commits, default 200000] [gcGraceMs, default 0] [sync commits, default 20000]
set -euo pipefail
cd "$(dirname "$0")/.."
commits="${1:-200000}"
grace="${2:-0}"
sync_commits="${3:-20000}"

# Upstream modules without their tests, then this module's test classes (Maven's output to stderr).
mvn -B -ntp -q -Dstyle.color=never -pl engine-sqlite -am install -Dmaven.test.skip=true >&2
mvn -B -ntp -q -Dstyle.color=never -pl engine-sqlite test-compile >&2
cp_file="$PWD/engine-sqlite/target/bench.classpath"
mvn -B -ntp -q -Dstyle.color=never -pl engine-sqlite dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp_file" >&2
cp="engine-sqlite/target/test-classes:engine-sqlite/target/classes:$(cat "$cp_file")"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
run() {
  # Library log lines go to a log file, shown when a run fails; the figures go to stdout.
  if ! java "$@" 2>>"$log"; then
    tail -40 "$log" >&2
    exit 1
  fi
}
echo "# load: $(uptime | sed 's/.*load average: //')"
# The heap during a snapshot of a 256 MB database in a JVM limited to 64 MB of heap.
run -Xmx64m -cp "$cp" io.hadb.engine.sqlite.bench.LifecycleBench heap 256
# on: the default policy; every50: a snapshot every 50 changesets, default retention; off: none.
# (A flat-out ASYNC writer's commits share changesets: 10,000 commits are 5-55 changesets here,
# depending on the machine's load, so the history is short in objects.)
for mode in on every50 off on-update off-update; do
  run -Xmx512m -cp "$cp" io.hadb.engine.sqlite.bench.LifecycleBench "$mode" "$commits" "$grace"
done
# SYNC: every commit its own changeset, the case where a long history is many objects
# (sync_commits, default 20000: at a few ms per durable commit, 200,000 would take the better part of an hour).
for mode in on-sync off-sync; do
  run -Xmx512m -cp "$cp" io.hadb.engine.sqlite.bench.LifecycleBench "$mode" "$sync_commits" "$grace"
done
echo "# load: $(uptime | sed 's/.*load average: //')"
