package io.hadb.engine.sqlite.bench;

import io.hadb.api.Durability;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.engine.sqlite.SqliteEngine;
import io.hadb.engine.sqlite.SqliteOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * DESIGN §7 benchmark: raw sqlite-jdbc against the engine as a replicating ASYNC leader on
 * storage-local, same disk, a table of {@code rows} rows (default 100,000).
 *
 * <p>One JVM measures one side ({@code raw} or {@code ha}) and, as the script runs it, one
 * operation; {@code benchmarks/sqlite-overhead.sh} alternates JVMs of both sides and prints the
 * median of each side's rounds (and, as "# best" lines, each side's best). Sharing a JVM turned out to measure the JIT instead: the sides share
 * sqlite-jdbc's classes and this harness, and operations share the engine's read path, so
 * whatever ran first shaped the compiled code of what came next (a 100-row range scan through
 * the engine came out at 0.55 of raw in a shared JVM and at par in its own).
 *
 * <p>Raw is plain JDBC with the engine's connection pragmas (WAL, {@code synchronous=NORMAL},
 * 64 MB cache) and prepared statements kept open, as a careful JDBC user would write it. One
 * difference is deliberate: raw keeps SQLite's {@code wal_autocheckpoint=1000}, because with the
 * engine's {@code 0} raw would never checkpoint at all; the engine checkpoints after shipping
 * every {@code checkpointPages=1000} frames, the same cadence. Another is the engine's own:
 * it opens its connections without SQLite's per-connection mutex ({@code NOMUTEX}), which it
 * can because it never lets two threads use one connection at once; raw keeps sqlite-jdbc's
 * default, as a JDBC user who shares a connection must.
 *
 * <p>A timed round is long enough to hold several checkpoints on both sides (a batch-insert
 * round is 100 transactions, about 3,000 WAL frames): with 20 transactions, raw's best round
 * was simply one without a checkpoint, while the engine's background checkpoints showed in
 * every round.
 *
 * <p>Output lines: {@code side=<raw|ha> op=<name> ops_s=<n> ops_cpu_s=<n>} (best of the timed
 * rounds after a warm-up; see {@link #measureAll}). {@code lag} and {@code sync} modes are
 * {@link LagBench}.
 */
public final class OverheadBench {
  static final long WARMUP_NANOS = 2_000_000_000L;
  static final long MEASURE_NANOS = 3_000_000_000L;
  static final int MIN_ROUNDS = 3;

  private OverheadBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "ha";
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    List<BenchOps.Op> ops = args.length > 2
        ? List.of(BenchOps.Op.fromLabel(args[2])) : List.of(BenchOps.Op.values());
    Path dir = Files.createTempDirectory("hadb-sqlite-bench");
    try {
      switch (mode) {
        case "raw" -> raw(dir, rows, ops);
        case "ha" -> ha(dir, rows, ops);
        case "lag" -> LagBench.lagRun(dir, rows);
        case "sync" -> LagBench.syncCommits(dir, 16);
        default -> throw new IllegalArgumentException("mode must be raw, ha, lag or sync, was " + mode);
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static void raw(Path dir, int rows, List<BenchOps.Op> which) throws Exception {
    try (RawDb raw = RawDb.open(dir.resolve("raw.db"))) {
      BenchOps ops = new BenchOps.Raw(raw.connection(), rows);
      ops.populate();
      measureAll("raw", ops, which);
    }
  }

  static void ha(Path dir, int rows, List<BenchOps.Op> which) throws Exception {
    SqliteOptions options = SqliteOptions.defaults().withDurability(Durability.ASYNC);
    try (StorageBackend storage = StorageBackends.open("file://" + dir.resolve("store"));
        SqliteEngine leader = SqliteEngine.open(dir.resolve("ha.db"), storage, "bench/", options)) {
      leader.replicator().startPublishing(1, 1);
      BenchOps ops = new BenchOps.Ha(leader.executor(), rows);
      ops.populate();
      leader.replicator().sync();
      Thread.sleep(1000); // the checkpoint after shipping the populate, before anything is timed
      measureAll("ha", ops, which);
      leader.replicator().sync();
    }
  }

  /**
   * Best wall-clock rate, and best rate per CPU second: the caller's thread plus the library's
   * own threads (the shipper, for ha), so replication work done in the background is charged.
   * The CPU figure is the steadier one on a shared machine, where other processes take the
   * cores at random but do not add to this process's CPU time.
   */
  static void measureAll(String side, BenchOps ops, List<BenchOps.Op> which) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (BenchOps.Op op : which) {
      // Warm-up until the JIT has settled: the engine runs more code on two threads (writer and
      // shipper), and one short warm-up left its first timed rounds at half speed.
      long warm = System.nanoTime() + WARMUP_NANOS;
      for (int round = 0; round < 2 || System.nanoTime() < warm; round++) {
        ops.measure(op);
      }
      double best = 0;
      double bestCpu = 0;
      long end = System.nanoTime() + MEASURE_NANOS;
      for (int round = 0; round < MIN_ROUNDS || System.nanoTime() < end; round++) {
        long cpu0 = cpuNanos(mx);
        best = Math.max(best, ops.measure(op));
        long cpu = cpuNanos(mx) - cpu0;
        bestCpu = Math.max(bestCpu, op.count / (cpu / 1e9));
      }
      String f = best < 100 ? "%.2f" : "%.0f";
      System.out.printf(Locale.ROOT, "side=%s op=%s ops_s=" + f + " ops_cpu_s=" + f + "%n", side, op.label(), best, bestCpu);
    }
  }

  static long cpuNanos(ThreadMXBean mx) {
    long sum = mx.getCurrentThreadCpuTime();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("hadb-")) {
        sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
      }
    }
    return sum;
  }
}
