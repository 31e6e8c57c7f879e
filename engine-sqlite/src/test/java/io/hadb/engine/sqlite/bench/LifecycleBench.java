package io.hadb.engine.sqlite.bench;

import io.hadb.api.Durability;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.EngineOptions;
import io.hadb.api.engine.EngineProvider;
import io.hadb.api.engine.Engines;
import io.hadb.api.engine.Progress;
import io.hadb.api.engine.RestorePoint;
import io.hadb.api.engine.SnapshotPolicy;
import io.hadb.api.engine.SqlValue;
import io.hadb.api.manifest.ManifestStore;
import io.hadb.api.manifest.ManifestStores;
import io.hadb.chain.ChainKeys;
import io.hadb.chain.LocalState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A database's life on storage-local (DESIGN §10): an ASYNC leader writes {@code commits}
 * single-row commits with the default snapshot policy (or none), and at 10,000 commits and at the
 * end the bench measures
 * <ul>
 *   <li>{@code restart_ms}: a node whose copy stopped at the 100th commit (down for the whole
 *       history since) opens and bootstraps to the head;
 *   <li>{@code cold_follower_ms}: a new, empty follower opens and bootstraps to the head;
 *   <li>{@code objects_in_storage}: objects under the database's prefix;
 * </ul>
 * and at the end {@code restore_to_time_ms} (a restore to the time of the commit 1 % before the
 * end: older points are outside the point-in-time window a policy keeps). Manifests
 * live on lease-mem (in process). Run:
 * {@code LifecycleBench on|off|every<n>[-sync] [commits, default 200000] [gcGraceMs, default 0]} ({@code on}:
 * the default policy; {@code every<n>}: a snapshot every n changesets, the default retention;
 * {@code -sync}: SYNC commits, one changeset each, instead of ASYNC)
 * (class path as in {@code benchmarks/lifecycle.sh}); prints {@code key=value} lines.
 */
public final class LifecycleBench {
  private static final String PREFIX = "bench/";

  private LifecycleBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("heap")) {
      heap(args.length > 1 ? Integer.parseInt(args[1]) : 256);
      return;
    }
    String arg = args.length == 0 ? "on" : args[0];
    // "-sync": every commit its own changeset (SYNC), the history in objects is the history in commits
    Durability durability = arg.endsWith("-sync") ? Durability.SYNC : Durability.ASYNC;
    String mode = arg.replace("-sync", "");
    boolean snapshots = !mode.equals("off");
    long commits = args.length > 1 ? Long.parseLong(args[1]) : 200_000;
    String gcGraceMs = args.length > 2 ? args[2] : "0";
    Path dir = Files.createTempDirectory("hadb-lifecycle-");
    EngineProvider sqlite = Engines.find("sqlite");
    SnapshotPolicy policy = !snapshots ? SnapshotPolicy.manual()
        : mode.startsWith("every") ? new SnapshotPolicy(Long.parseLong(mode.substring(5)), 16L << 20,
            java.time.Duration.ofDays(1), io.hadb.api.engine.RetentionPolicy.defaults())
        : SnapshotPolicy.defaults();
    try (StorageBackend storage = StorageBackends.open("file://" + dir.resolve("store"));
        LeaseStore leases = LeaseStores.open("mem://lifecycle-" + UUID.randomUUID());
        ManifestStore manifests = ManifestStores.on(leases)) {
      // Months of history are written in minutes here: the collection's grace period (15 min by
      // default) would keep everything, so it is the third argument (default 0: collect at the
      // next snapshot).
      EngineOptions options = EngineOptions.defaults().withDurability(durability).withSnapshots(policy)
          .withManifests(manifests).withSetting("gcGraceMs", gcGraceMs);
      String tag = "snapshots=" + mode + " durability=" + durability;
      if (snapshots) {
        System.out.println(tag + " policy_every_changesets=" + policy.everyChangesets() + " retention_last="
            + policy.retention().last() + " objects_bound=" + objectsBound(policy));
      }
      try (EngineProvider.Engine leader = sqlite.open(dir.resolve("leader.db"), storage, PREFIX, options)) {
        leader.replicator().startPublishing(1, 1);
        leader.executor().execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)", List.of());
        long written = 0;
        Instant middle = null; // the restore-to-time point
        long[] checkpoints = {10_000, commits};
        for (long checkpoint : checkpoints) {
          while (written < checkpoint) {
            leader.executor().execute("INSERT INTO t (v) VALUES (?)", List.of(SqlValue.of("row " + written
                + " of the lifecycle benchmark, about a hundred bytes of text to make a page fill up")));
            written++;
            if (written == 100) {
              leader.replicator().sync();
              try (EngineProvider.Engine early = sqlite.open(dir.resolve("early.db"), storage, PREFIX, options)) {
                early.replicator().bootstrap();
              }
            }
            if (written == commits - commits / 100) {
              middle = Instant.now(); // within the point-in-time window of any policy here
            }
          }
          long head = leader.replicator().sync();
          long objects = storage.listAll(PREFIX).size();
          Path restarted = dir.resolve("restart-" + checkpoint + ".db");
          Files.copy(dir.resolve("early.db"), restarted, StandardCopyOption.REPLACE_EXISTING);
          Files.copy(LocalState.fileOf(dir.resolve("early.db")), LocalState.fileOf(restarted),
              StandardCopyOption.REPLACE_EXISTING);
          long restartFrom = LocalState.read(restarted).orElseThrow().seq();
          long t0 = System.nanoTime();
          try (EngineProvider.Engine node = sqlite.open(restarted, storage, PREFIX, options)) {
            node.replicator().bootstrap();
          }
          long restartMs = (System.nanoTime() - t0) / 1_000_000;
          t0 = System.nanoTime();
          try (EngineProvider.Engine cold = sqlite.open(dir.resolve("cold-" + checkpoint + ".db"), storage, PREFIX,
              options)) {
            cold.replicator().bootstrap();
          }
          long coldMs = (System.nanoTime() - t0) / 1_000_000;
          long base = manifests.read(ChainKeys.of(PREFIX).manifestName()).map(m -> baseSeq(m.document())).orElse(0L);
          System.out.println(String.format(Locale.ROOT, "%s commits=%d head_seq=%d base_seq=%d restart_ms=%d"
              + " cold_follower_ms=%d objects_in_storage=%d restart_replayed_changesets=%d", tag, written, head, base,
              restartMs, coldMs, objects, head - Math.max(base, restartFrom)));
        }
        long t0 = System.nanoTime();
        long seq = sqlite.restore(storage, PREFIX, dir.resolve("restored.db"), RestorePoint.time(middle), options,
            Progress.NONE);
        System.out.println(String.format(Locale.ROOT, "%s restore_to_time_ms=%d restored_seq=%d", tag,
            (System.nanoTime() - t0) / 1_000_000, seq));
      }
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Heap during a snapshot of a database far larger than the heap (run with a small -Xmx): fills
   * about {@code mb} MB of incompressible rows, then takes a snapshot and prints the peak heap
   * use of the JVM over the snapshot next to the database's size and the heap's limit.
   */
  static void heap(int mb) throws Exception {
    Path dir = Files.createTempDirectory("hadb-lifecycle-heap-");
    EngineProvider sqlite = Engines.find("sqlite");
    try (StorageBackend storage = StorageBackends.open("file://" + dir.resolve("store") + "?fsync=false");
        EngineProvider.Engine leader = sqlite.open(dir.resolve("big.db"), storage, PREFIX,
            EngineOptions.defaults().withDurability(Durability.SYNC))) {
      leader.replicator().startPublishing(1, 1);
      leader.executor().execute("CREATE TABLE big (id INTEGER PRIMARY KEY, v BLOB)", List.of());
      for (int i = 0; i < mb / 8; i++) { // 8 MB per commit
        leader.executor().execute("INSERT INTO big (v) SELECT randomblob(2000) FROM (WITH RECURSIVE g(x) AS"
            + " (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < 4000) SELECT x FROM g)", List.of());
      }
      leader.replicator().sync();
      System.gc();
      var pools = java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP).toList();
      pools.forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
      long t0 = System.nanoTime();
      leader.replicator().snapshot(Progress.NONE);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      long peak = pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      System.out.println(String.format(Locale.ROOT, "snapshot_db_mb=%.0f heap_max_mb=%.0f snapshot_heap_peak_mb=%.1f"
          + " snapshot_ms=%d", Files.size(dir.resolve("big.db")) / 1e6, Runtime.getRuntime().maxMemory() / 1e6,
          peak / 1e6, ms));
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Most objects the policy lets storage hold with no grace period: the kept snapshots and the
   * changesets behind the oldest of the last N (at most N + 1 intervals, the head's included),
   * plus one retired batch waiting for the next snapshot (a snapshot and an interval).
   */
  static long objectsBound(SnapshotPolicy p) {
    return p.retention().maxSnapshots() + 1 + (long) (p.retention().last() + 2) * p.everyChangesets();
  }

  private static long baseSeq(byte[] document) {
    return io.hadb.chain.ChainManifest.decode("bench", document).base().map(s -> s.seq()).orElse(0L);
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
