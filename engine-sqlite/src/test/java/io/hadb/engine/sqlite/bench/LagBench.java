package io.hadb.engine.sqlite.bench;

import io.hadb.api.Durability;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.SqlValue;
import io.hadb.engine.sqlite.SqliteEngine;
import io.hadb.engine.sqlite.SqliteOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Replication lag to a follower, and SYNC group-commit throughput (parts of {@link OverheadBench}). */
final class LagBench {
  static final int LAG_SAMPLES = 1_000;
  static final long SYNC_SECONDS = 5;

  private LagBench() {}

  /**
   * Commit → visible on a follower in the same JVM over the same storage: the leader inserts row
   * {@code i} every 2 ms; the follower pulls in a loop (1 ms pause when nothing was new) while a
   * reader on the follower reads the highest row it can see every millisecond. Lag = the moment
   * the reader first sees a row minus the start of the leader's execute call of it.
   */
  /** A leader with the benchmark table (as the ha side has it), then {@link #lag}. */
  static void lagRun(Path dir, int rows) throws Exception {
    SqliteOptions options = SqliteOptions.defaults().withDurability(Durability.ASYNC);
    try (StorageBackend storage = StorageBackends.open("file://" + dir.resolve("store"));
        SqliteEngine leader = SqliteEngine.open(dir.resolve("ha.db"), storage, "bench/", options)) {
      leader.replicator().startPublishing(1, 1);
      new BenchOps.Ha(leader.executor(), rows).populate();
      lag(dir, storage, leader, options);
    }
  }

  static void lag(Path dir, StorageBackend storage, SqliteEngine leader, SqliteOptions options) throws Exception {
    leader.executor().execute("CREATE TABLE lag (id INTEGER PRIMARY KEY)", List.of());
    leader.executor().execute("INSERT INTO lag (id) VALUES (0)", List.of());
    long[] lags = new long[LAG_SAMPLES];
    AtomicLongArray committedAt = new AtomicLongArray(LAG_SAMPLES + 1);
    try (SqliteEngine follower = SqliteEngine.open(dir.resolve("follower.db"), storage, "bench/", options)) {
      follower.replicator().bootstrap();
      follower.replicator().pullTo(leader.replicator().sync());
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong seen = new AtomicLong();
      List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
      Thread puller = new Thread(() -> {
        try {
          long applied = follower.replicator().appliedSeq();
          while (!stop.get()) {
            long now = follower.replicator().pull();
            if (now == applied) {
              Thread.sleep(1);
            }
            applied = now;
          }
        } catch (Throwable t) {
          errors.add(t);
        }
      }, "bench-follower-pull");
      Thread reader = new Thread(() -> {
        try {
          while (!stop.get()) {
            long max = ((SqlValue.Int) follower.executor()
                .query("SELECT max(id) FROM lag", List.of()).rows().get(0).get(0)).value();
            long at = System.nanoTime();
            for (long id = seen.get() + 1; id <= max; id++) {
              lags[(int) id - 1] = at - committedAt.get((int) id);
            }
            seen.set(max);
            Thread.sleep(1);
          }
        } catch (Throwable t) {
          errors.add(t);
        }
      }, "bench-follower-read");
      puller.start();
      reader.start();
      for (int i = 1; i <= LAG_SAMPLES; i++) {
        committedAt.set(i, System.nanoTime());
        leader.executor().execute("INSERT INTO lag (id) VALUES (?)", List.of(SqlValue.of(i)));
        Thread.sleep(2);
      }
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (seen.get() < LAG_SAMPLES && System.nanoTime() < deadline && errors.isEmpty()) {
        Thread.sleep(1);
      }
      stop.set(true);
      puller.join();
      reader.join();
      if (!errors.isEmpty()) {
        throw new IllegalStateException("follower failed", errors.get(0));
      }
      if (seen.get() < LAG_SAMPLES) {
        throw new IllegalStateException("follower saw " + seen.get() + " of " + LAG_SAMPLES + " rows in 30 s");
      }
    }
    Arrays.sort(lags);
    System.out.printf(Locale.ROOT, "lag_ms_p50=%.2f lag_ms_p99=%.2f%n", pct(lags, 50), pct(lags, 99));
  }

  /** SYNC durability, {@code writers} threads inserting in autocommit for a fixed time. */
  static void syncCommits(Path dir, int writers) throws Exception {
    SqliteOptions o = SqliteOptions.defaults().withDurability(Durability.SYNC);
    try (StorageBackend storage = StorageBackends.open("file://" + dir.resolve("store-sync"));
        SqliteEngine leader = SqliteEngine.open(dir.resolve("sync.db"), storage, "sync/", o)) {
      leader.replicator().startPublishing(1, 1);
      leader.executor().execute("CREATE TABLE s (id INTEGER PRIMARY KEY, w INTEGER, v TEXT)", List.of());
      AtomicLong commits = new AtomicLong();
      long deadline = System.nanoTime() + SYNC_SECONDS * 1_000_000_000L;
      long t0 = System.nanoTime();
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        long writer = w;
        Thread t = new Thread(() -> {
          while (System.nanoTime() < deadline) {
            leader.executor().execute("INSERT INTO s (w, v) VALUES (?, ?)",
                List.of(SqlValue.of(writer), SqlValue.of(BenchOps.VALUE)));
            commits.incrementAndGet();
          }
        });
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join();
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "sync_commits_s=%.0f writers=%d changesets=%d%n",
          commits.get() / secs, writers, leader.replicator().appliedSeq());
    }
  }

  static double pct(long[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }
}
