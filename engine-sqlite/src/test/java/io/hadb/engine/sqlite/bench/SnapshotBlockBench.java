package io.hadb.engine.sqlite.bench;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.SqlValue;
import io.hadb.engine.sqlite.SqliteEngine;
import io.hadb.engine.sqlite.SqliteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How long a steady writer is blocked while the leader takes a snapshot (a snapshot must block
 * writers no longer than a brief moment). A writer thread commits single-row inserts,
 * pausing {@code pauseMs} (default {@link #PAUSE_MS}) after each; the figure is its longest commit overlapping the {@code snapshot()} call (and the
 * {@link #AFTER_MS} after it, see {@link #measure}), next to its longest commit over
 * {@link #BASELINE_MS} just before, without a snapshot (that baseline holds the leader's own WAL
 * checkpoints, which block the writer too). Run:
 * <pre>
 * java -cp ... io.hadb.engine.sqlite.bench.SnapshotBlockBench [db_mb, default 40] [rounds, default 3] [pause_ms, default 1; 0 = flat out]
 * </pre>
 * (class path as in {@code benchmarks/sqlite-overhead.sh}); prints one line per round.
 */
public final class SnapshotBlockBench {
  static final long WARM_UP_MS = 1_000;
  static final long BASELINE_MS = 1_000;
  static final long AFTER_MS = 200;
  /** Default pause between two commits of the writer: a steady writer rather than flat out. */
  public static final long PAUSE_MS = 1;

  private SnapshotBlockBench() {}

  /**
   * @param blockMsMax longest commit overlapping the snapshot or the {@link #AFTER_MS} after it
   * @param baselineMsMax longest commit over the {@link #BASELINE_MS} before the snapshot
   * @param snapshotMs how long {@code snapshot()} took
   * @param commitsDuring commits that started and ended while the snapshot ran
   * @param commitsSecondHalf those of them in its second half (the copy; the snapshot point,
   *     which does block the writer for a moment, is taken at the start)
   * @param snapshotSeq the snapshot's seq
   */
  public record Figures(double blockMsMax, double baselineMsMax, double snapshotMs, long commitsDuring,
      long commitsSecondHalf, long snapshotSeq, double dbMb) {
    public String line() {
      return String.format(Locale.ROOT, "snapshot_writer_block_ms_max=%.1f baseline_ms_max=%.1f db_mb=%.1f"
          + " snapshot_ms=%.0f commits_during_snapshot=%d", blockMsMax, baselineMsMax, dbMb, snapshotMs, commitsDuring);
    }
  }

  /** Adds rows of 2,000 random (incompressible) bytes to table {@code big} until the file holds about {@code mb} MB. */
  public static void fill(SqliteEngine leader, int mb) {
    leader.executor().execute("CREATE TABLE IF NOT EXISTS big (id INTEGER PRIMARY KEY, v TEXT)", List.of());
    leader.executor().execute("CREATE TABLE IF NOT EXISTS w (id INTEGER PRIMARY KEY, v TEXT)", List.of());
    int rows = mb * 500;
    leader.executor().execute("INSERT INTO big (v) SELECT randomblob(2000) FROM (WITH RECURSIVE g(x) AS"
        + " (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < ?) SELECT x FROM g)", List.of(SqlValue.of(rows)));
    leader.replicator().sync();
  }

  /** One round on a publishing leader filled by {@link #fill}: baseline, then a snapshot. */
  public static Figures measure(SqliteEngine leader, long pauseMs) throws Exception {
    Writer w = new Writer(leader, pauseMs);
    w.start();
    try {
      Thread.sleep(WARM_UP_MS); // also lets the leader checkpoint what fill() left in the WAL
      long b0 = System.nanoTime();
      Thread.sleep(BASELINE_MS);
      long b1 = System.nanoTime();
      long s0 = System.nanoTime();
      long seq = leader.replicator().snapshot();
      long s1 = System.nanoTime();
      // The WAL grew while checkpoints were paused for the copy; the first checkpoint after it
      // (on the shipper, right after the snapshot) blocks the writer too, so it counts here.
      Thread.sleep(AFTER_MS);
      long s2 = System.nanoTime();
      w.stop();
      double dbMb = Files.size(leader.file()) / 1e6;
      return new Figures(w.maxOverlapping(s0, s2) / 1e6, w.maxOverlapping(b0, b1) / 1e6, (s1 - s0) / 1e6,
          w.within(s0, s1), w.within(s0 + (s1 - s0) / 2, s1), seq, dbMb);
    } finally {
      w.stop();
    }
  }

  /** Commits single-row inserts, keeping each commit's start and end. */
  static final class Writer {
    private final SqliteEngine leader;
    private final long pauseMs;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final long[] starts = new long[1 << 20];
    private final long[] ends = new long[1 << 20];
    private volatile int n;
    private volatile Throwable error;
    private final Thread thread;

    Writer(SqliteEngine leader, long pauseMs) {
      this.leader = leader;
      this.pauseMs = pauseMs;
      this.thread = new Thread(this::run, "snapshot-block-writer");
    }

    void start() {
      thread.start();
    }

    private void run() {
      try {
        for (int i = 0; !stop.get() && i < starts.length; i++) {
          long t0 = System.nanoTime();
          leader.executor().execute("INSERT INTO w (v) VALUES (?)", List.of(SqlValue.of("w" + i)));
          starts[i] = t0;
          ends[i] = System.nanoTime();
          n = i + 1;
          if (pauseMs > 0) {
            Thread.sleep(pauseMs);
          }
        }
      } catch (Throwable t) {
        error = t;
      }
    }

    void stop() throws InterruptedException {
      stop.set(true);
      thread.join();
      if (error != null) {
        throw new AssertionError("the writer failed", error);
      }
    }

    long maxOverlapping(long from, long to) {
      long max = 0;
      for (int i = 0; i < n; i++) {
        if (ends[i] > from && starts[i] < to) {
          max = Math.max(max, ends[i] - starts[i]);
        }
      }
      return max;
    }

    long within(long from, long to) {
      long c = 0;
      for (int i = 0; i < n; i++) {
        if (starts[i] >= from && ends[i] <= to) {
          c++;
        }
      }
      return c;
    }
  }

  public static void main(String[] args) throws Exception {
    int mb = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    long pauseMs = args.length > 2 ? Long.parseLong(args[2]) : PAUSE_MS;
    Path dir = Files.createTempDirectory("snapshot-block");
    try (StorageBackend storage = StorageBackends.open("file://" + dir.resolve("store"));
        SqliteEngine leader = SqliteEngine.open(dir.resolve("leader.db"), storage, "bench/", SqliteOptions.defaults())) {
      leader.replicator().startPublishing(1, 1);
      fill(leader, mb);
      for (int r = 0; r < rounds; r++) {
        System.out.println(measure(leader, pauseMs).line() + " writer_pause_ms=" + pauseMs);
      }
    }
  }
}
