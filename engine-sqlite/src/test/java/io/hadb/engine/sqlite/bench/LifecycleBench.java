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
import java.util.Optional;
import java.util.UUID;

/**
 * A database's life on storage-local (DESIGN §10): an ASYNC leader writes {@code commits}
 * single-row commits with the default snapshot policy (or none), and at 10,000 commits and at the
 * end the bench measures
 * <ul>
 *   <li>{@code restart_ms}: a follower that was caught up and went down {@value #DOWNTIME_COMMITS}
 *       commits before the point (a deploy, a crash) opens and bootstraps to the head: what a
 *       restart costs, whatever the history before its downtime;
 *   <li>{@code stale_restart_ms}: a node whose copy stopped at the 100th commit (down for the
 *       whole history since) opens and bootstraps to the head: the base snapshot and the tail
 *       after it, so it grows with the database's size ({@code db_mb}), not with its history;
 *   <li>{@code cold_follower_ms}: a new, empty follower opens and bootstraps to the head;
 *   <li>{@code objects_in_storage}: objects under the database's prefix;
 *   <li>{@code *_replayed_changesets}: changesets each restart applied (counted by the follower).
 * </ul>
 * Each reopen runs {@value #REPEATS} times on its own copy, after {@value #WARMUPS} unmeasured
 * reopens (class loading and JIT would otherwise land on whichever comes first); the median is
 * printed. At the end {@code restart_ratio}: the restart at {@value #FIRST_POINT} commits and the
 * one at the end, timed in turn (see {@link #restartsSideBySide}).
 * and at the end {@code restore_to_time_ms} (a restore to the time of the commit 1 % before the
 * end: older points are outside the point-in-time window a policy keeps). Workload {@code insert}
 * (the default) adds a row per commit, so the database grows with the history; {@code update}
 * fills {@value #UPDATE_ROWS} rows first and then updates one of them per commit, round robin, so
 * the history grows and the database does not. Manifests live on lease-mem (in process). Run:
 * {@code LifecycleBench on|off|every<n>[-sync][-update] [commits, default 200000] [gcGraceMs, default 0]}
 * ({@code on}: the default policy; {@code every<n>}: a snapshot every n changesets, the default
 * retention; {@code -sync}: SYNC commits, one changeset each, instead of ASYNC)
 * (class path as in {@code benchmarks/lifecycle.sh}); prints {@code key=value} lines.
 */
public final class LifecycleBench {
  private static final String PREFIX = "bench/";
  /** Where the chain is frozen as it stood at the first point (see {@link #restartsSideBySide}). */
  private static final String FROZEN_PREFIX = "bench-at-10000/";
  static final long FIRST_POINT = 10_000;
  /** Restarts at the first point and at the end timed in turn, this many of each. */
  static final int PAIRS = 15;
  /** How many commits the restarting follower misses while it is down. */
  static final int DOWNTIME_COMMITS = 1_000;
  static final int UPDATE_ROWS = 10_000;
  /** Each reopen is timed this many times (each on its own copy of the file); the median is printed. */
  static final int REPEATS = 5;
  /** Unmeasured reopens before each point's measured ones (stale and restart, in turn). */
  static final int WARMUPS = 4;

  private LifecycleBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("heap")) {
      heap(args.length > 1 ? Integer.parseInt(args[1]) : 256);
      return;
    }
    String arg = args.length == 0 ? "on" : args[0];
    // "-sync": every commit its own changeset (SYNC), the history in objects is the history in commits
    Durability durability = arg.contains("-sync") ? Durability.SYNC : Durability.ASYNC;
    boolean update = arg.contains("-update");
    String mode = arg.replace("-sync", "").replace("-update", "");
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
      String tag = "snapshots=" + mode + " durability=" + durability + " workload=" + (update ? "update" : "insert");
      if (snapshots) {
        System.out.println(tag + " policy_every_changesets=" + policy.everyChangesets() + " retention_last="
            + policy.retention().last() + " objects_bound=" + objectsBound(policy));
      }
      try (EngineProvider.Engine leader = sqlite.open(dir.resolve("leader.db"), storage, PREFIX, options)) {
        leader.replicator().startPublishing(1, 1);
        leader.executor().execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)", List.of());
        if (update) {
          leader.executor().execute("INSERT INTO t (id, v) SELECT x, 'row ' || x FROM (WITH RECURSIVE g(x) AS"
              + " (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < " + UPDATE_ROWS + ") SELECT x FROM g)", List.of());
        }
        long written = 0;
        Instant middle = null; // the restore-to-time point
        long[] checkpoints = {FIRST_POINT, commits};
        for (long checkpoint : checkpoints) {
          Path down = dir.resolve("down-" + checkpoint + ".db");
          while (written < checkpoint) {
            String text = "row " + written + " of the lifecycle benchmark, about a hundred bytes of text to make a"
                + " page fill up";
            if (update) {
              leader.executor().execute("UPDATE t SET v = ? WHERE id = ?",
                  List.of(SqlValue.of(text), SqlValue.of(1 + written % UPDATE_ROWS)));
            } else {
              leader.executor().execute("INSERT INTO t (v) VALUES (?)", List.of(SqlValue.of(text)));
            }
            written++;
            if (written == 100) {
              caughtUp(sqlite, leader, dir.resolve("early.db"), storage, options);
            }
            if (written == checkpoint - DOWNTIME_COMMITS) {
              caughtUp(sqlite, leader, down, storage, options); // goes down for the last DOWNTIME_COMMITS
            }
            if (written == commits - commits / 100) {
              middle = Instant.now(); // within the point-in-time window of any policy here
            }
          }
          long head = leader.replicator().sync();
          long objects = storage.listAll(PREFIX).size();
          if (checkpoint == FIRST_POINT) {
            freeze(storage, "file://" + dir.resolve("store"), manifests, PREFIX, FROZEN_PREFIX);
          }
          // JIT and caches, not measured: the 10,000 point comes first in the JVM, and one reopen
          // left its restarts about twice as slow as the same code later on (the ratio's noise)
          for (int i = 0; i < WARMUPS; i++) {
            reopenCopy(sqlite, copyOf(i % 2 == 0 ? dir.resolve("early.db") : down,
                dir.resolve("warmup-" + checkpoint + "-" + i + ".db")), storage, PREFIX, options);
          }
          Reopened restart = median(i -> reopenCopy(sqlite, copyOf(down, dir.resolve("restart-" + checkpoint + "-" + i + ".db")),
              storage, PREFIX, options));
          Reopened staleRestart = median(i -> reopenCopy(sqlite, copyOf(dir.resolve("early.db"),
              dir.resolve("stale-" + checkpoint + "-" + i + ".db")), storage, PREFIX, options));
          Reopened cold = median(i -> reopen(sqlite, dir.resolve("cold-" + checkpoint + "-" + i + ".db"), storage,
              PREFIX, options));
          double dbMb = Files.size(dir.resolve("cold-" + checkpoint + "-0.db")) / 1e6;
          long base = manifests.read(ChainKeys.of(PREFIX).manifestName()).map(m -> baseSeq(m.document())).orElse(0L);
          System.out.println(String.format(Locale.ROOT, "%s commits=%d head_seq=%d base_seq=%d db_mb=%.1f"
              + " restart_ms=%d stale_restart_ms=%d cold_follower_ms=%d objects_in_storage=%d"
              + " restart_replayed_changesets=%d stale_restart_replayed_changesets=%d", tag, written, head, base,
              dbMb, restart.ms(), staleRestart.ms(), cold.ms(), objects,
              restart.replayed(), staleRestart.replayed()));
        }
        restartsSideBySide(sqlite, dir, storage, options, tag, commits);
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
   * The restart at {@value #FIRST_POINT} commits against the restart at the end, timed in turn
   * in one warm JVM: the first point's restarts run on a JVM a few seconds old and on a machine
   * whose load moves from second to second, which made a ratio of two points measured apart
   * mostly noise (the first point was the slower one in most runs). The chain as it stood at
   * the first point was frozen under {@value #FROZEN_PREFIX} (objects and manifest), so the
   * same restart can be replayed now. Prints the median of {@value #PAIRS} pairs of each, and
   * their ratio.
   */
  private static void restartsSideBySide(EngineProvider sqlite, Path dir, StorageBackend storage, EngineOptions options,
      String tag, long commits) {
    Path early = dir.resolve("down-" + FIRST_POINT + ".db");
    Path late = dir.resolve("down-" + commits + ".db");
    List<Reopened> atFirst = new java.util.ArrayList<>();
    List<Reopened> atEnd = new java.util.ArrayList<>();
    for (int i = -1; i < PAIRS; i++) { // -1: one unmeasured pair
      boolean firstFirst = i % 2 == 0; // the order alternates, so a drift in the load favours neither
      for (int k = 0; k < 2; k++) {
        boolean first = (k == 0) == firstFirst;
        Reopened r = first
            ? reopenCopy(sqlite, copyOf(early, dir.resolve("pair-a-" + i + ".db")), storage, FROZEN_PREFIX, options)
            : reopenCopy(sqlite, copyOf(late, dir.resolve("pair-b-" + i + ".db")), storage, PREFIX, options);
        if (i >= 0) {
          (first ? atFirst : atEnd).add(r);
        }
      }
    }
    long a = medianMs(atFirst);
    long b = medianMs(atEnd);
    System.out.println(String.format(Locale.ROOT, "%s side_by_side_pairs=%d restart_ms_at_%d=%d restart_ms_at_%d=%d"
        + " restart_ratio=%.2f tail_kb_at_%d=%d tail_kb_at_%d=%d", tag, PAIRS, FIRST_POINT, a, commits, b,
        b / (double) Math.max(1, a), FIRST_POINT, tailBytes(storage, FROZEN_PREFIX, early) / 1024, commits,
        tailBytes(storage, PREFIX, late) / 1024));
  }

  /**
   * Bytes of the changesets a restart of {@code file} downloads: the same 1,000 commits, but
   * a bigger database changes more pages for them (a deeper B-tree), so the tail at the end
   * is somewhat larger than at the first point.
   */
  private static long tailBytes(StorageBackend storage, String prefix, Path file) {
    long bytes = 0;
    for (long seq = LocalState.read(file).orElseThrow().seq() + 1; ; seq++) {
      Optional<byte[]> changeset = storage.get(ChainKeys.of(prefix).change(seq));
      if (changeset.isEmpty()) {
        return bytes;
      }
      bytes += changeset.get().length;
    }
  }

  private static long medianMs(List<Reopened> runs) {
    return runs.stream().mapToLong(Reopened::ms).sorted().skip(runs.size() / 2).findFirst().orElseThrow();
  }

  /**
   * Copies every object under {@code from} to {@code to} and the chain's manifest with them
   * (its document names seqs, not keys): a chain nobody writes any more, as it stood now. The
   * copies go through a second client of the same directory that does not fsync each object (a
   * SYNC history holds thousands at the first point). The leader's last snapshot may still be
   * collecting meanwhile (grace 0): the manifest is read first, and an object listed but gone by
   * its turn was retired before that manifest, so it is not needed.
   */
  private static void freeze(StorageBackend storage, String storageUri, ManifestStore manifests, String from,
      String to) {
    var manifest = manifests.read(ChainKeys.of(from).manifestName());
    try (StorageBackend copies = StorageBackends.open(storageUri + "?fsync=false")) {
      for (String key : storage.listAll(from)) {
        storage.get(key).ifPresent(body -> copies.put(to + key.substring(from.length()), body));
      }
    }
    manifest.ifPresent(m -> manifests.write(ChainKeys.of(to).manifestName(), 0, m.epoch(), m.document()));
  }

  /** A follower at {@code file} that bootstraps now and closes (caught up to the leader's last sync). */
  private static void caughtUp(EngineProvider sqlite, EngineProvider.Engine leader, Path file, StorageBackend storage,
      EngineOptions options) {
    leader.replicator().sync();
    try (EngineProvider.Engine node = sqlite.open(file, storage, PREFIX, options)) {
      node.replicator().bootstrap();
    }
  }

  /** How long opening and bootstrapping {@code file} took, and how many changesets it applied. */
  private record Reopened(long ms, long replayed) {}

  /** The median of {@value #REPEATS} runs by time (each on its own copy). */
  private static Reopened median(java.util.function.IntFunction<Reopened> run) {
    List<Reopened> runs = new java.util.ArrayList<>();
    for (int i = 0; i < REPEATS; i++) {
      runs.add(run.apply(i));
    }
    runs.sort(java.util.Comparator.comparingLong(Reopened::ms));
    return runs.get(REPEATS / 2);
  }

  /**
   * Copies a follower's file and its position record to {@code to}, on disk before it returns;
   * returns {@code to}. A copy left in the page cache would make the restart's first fsync write
   * the whole file back: 20 MB at the end against 1 MB at the first point, which was the part of
   * the restart that grew with the database (10-40 ms), and no real restart pays it (a follower's
   * file was fsynced by its last apply long before).
   */
  private static Path copyOf(Path from, Path to) {
    try {
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(LocalState.fileOf(from), LocalState.fileOf(to), StandardCopyOption.REPLACE_EXISTING);
      for (Path p : List.of(to, LocalState.fileOf(to))) {
        try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
          ch.force(true);
        }
      }
      return to;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Reopened reopen(EngineProvider sqlite, Path file, StorageBackend storage, String prefix,
      EngineOptions options) {
    long t0 = System.nanoTime();
    try (EngineProvider.Engine node = sqlite.open(file, storage, prefix, options)) {
      node.replicator().bootstrap();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      return new Reopened(ms, ((io.hadb.chain.ChainReplicator) node.replicator()).appliedChangesets());
    }
  }

  /**
   * {@link #reopen} of a copy, deleted afterwards: a run makes about 50 copies of a 20 MB file,
   * which the shared machine's disk need not hold at once.
   */
  private static Reopened reopenCopy(EngineProvider sqlite, Path copy, StorageBackend storage, String prefix,
      EngineOptions options) {
    try {
      return reopen(sqlite, copy, storage, prefix, options);
    } finally {
      try {
        Files.deleteIfExists(copy);
        Files.deleteIfExists(LocalState.fileOf(copy));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
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
   * plus one retired batch waiting for the next snapshot (a snapshot and an interval). For a
   * database up to the policy's {@code scaleAboveBytes} (64 MiB by default; a larger one's
   * intervals are longer).
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
