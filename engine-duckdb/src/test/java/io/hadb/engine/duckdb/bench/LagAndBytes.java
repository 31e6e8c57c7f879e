package io.hadb.engine.duckdb.bench;

import io.hadb.api.Durability;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.SqlValue;
import io.hadb.engine.duckdb.DuckdbEngine;
import io.hadb.engine.duckdb.DuckdbOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** The lag and bytes-shipped modes of {@link DuckdbOverheadBench}. */
final class LagAndBytes {
  private static final int LAG_COMMITS = 200;

  private LagAndBytes() {}

  /**
   * A 1-row batch commit every 20 ms on an ASYNC leader; a follower in the same JVM pulls in a
   * loop while a reader of it reads the counter every millisecond: each commit's lag is from its
   * return to the first read that sees it.
   */
  static void lag(Path dir, int rows) throws Exception {
    DuckdbOptions options = DuckdbOptions.defaults().withDurability(Durability.ASYNC);
    if (Integer.getInteger("bench.applyBatchMax") != null) {
      options = options.withChain(options.chain().withApplyBatchMax(Integer.getInteger("bench.applyBatchMax")));
    }
    if (Integer.getInteger("bench.shipIntervalMs") != null) {
      options = options.withChain(options.chain().withShipInterval(
          java.time.Duration.ofMillis(Integer.getInteger("bench.shipIntervalMs"))));
    }
    try (StorageBackend storage = StorageBackends.open("file://" + dir.resolve("store") + "?fsync=false");
        DuckdbEngine leader = DuckdbEngine.open(dir.resolve("leader.duckdb"), storage, "bench/", options);
        DuckdbEngine follower = DuckdbEngine.open(dir.resolve("follower.duckdb"), storage, "bench/", options)) {
      leader.replicator().startPublishing(1, 1);
      leader.executor().execute(DuckdbOverheadBench.CREATE, List.of());
      leader.executor().execute(DuckdbOverheadBench.POPULATE, List.of(SqlValue.of(rows)));
      leader.executor().execute("CREATE TABLE counter(k BIGINT)", List.of());
      leader.executor().execute("INSERT INTO counter VALUES (0)", List.of());
      leader.replicator().sync();
      follower.replicator().pull();
      long[] committedAt = new long[LAG_COMMITS + 1];
      long[] seenAt = new long[LAG_COMMITS + 1];
      AtomicLong lastCommitted = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      // The chain's pull applies batch after batch until it finds nothing new, so the reader
      // runs beside it, as an application's readers do.
      Thread puller = new Thread(() -> {
        while (!stop.get()) {
          follower.replicator().pull();
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      Thread reader = new Thread(() -> {
        long seen = 0;
        while (!stop.get()) {
          long k = ((SqlValue.Int) follower.executor().query("SELECT k FROM counter", List.of()).rows().get(0).get(0))
              .value();
          long now = System.nanoTime();
          long upTo = Math.min(k, lastCommitted.get());
          for (long j = seen + 1; j <= upTo; j++) {
            seenAt[(int) j] = now;
          }
          seen = Math.max(seen, upTo);
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      reader.start();
      puller.start();
      for (int k = 1; k <= LAG_COMMITS; k++) {
        leader.executor().execute("UPDATE counter SET k = ?", List.of(SqlValue.of(k)));
        committedAt[k] = System.nanoTime();
        lastCommitted.set(k);
        Thread.sleep(20);
      }
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (seenAt[LAG_COMMITS] == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      stop.set(true);
      puller.join();
      reader.join();
      double[] lags = new double[LAG_COMMITS];
      for (int k = 1; k <= LAG_COMMITS; k++) {
        lags[k - 1] = seenAt[k] == 0 ? Double.POSITIVE_INFINITY : Math.max(0, seenAt[k] - committedAt[k]) / 1e6;
      }
      Arrays.sort(lags);
      System.out.printf(Locale.ROOT, "lag_ms_p50=%.1f lag_ms_p99=%.1f%n", lags[LAG_COMMITS / 2],
          lags[(int) Math.ceil(LAG_COMMITS * 0.99) - 1]);
    }
  }

  /**
   * Bytes the chain stores (changeset objects, storage-local, no compression) for one 1-row
   * update and for one 100k-row insert, each shipped alone (SYNC), median of 5; and, on a plain
   * DuckDB file, the bytes the same change would ship as whole 256 KiB blocks versus 4 KiB pages.
   */
  static void bytes(Path dir, int rows) throws Exception {
    DuckdbOptions options = DuckdbOptions.defaults().withDurability(Durability.SYNC);
    long[] update = new long[5];
    long[] bulk = new long[5];
    try (StorageBackend storage = StorageBackends.open("file://" + dir.resolve("store") + "?fsync=false");
        DuckdbEngine leader = DuckdbEngine.open(dir.resolve("leader.duckdb"), storage, "bench/", options)) {
      leader.replicator().startPublishing(1, 1);
      leader.executor().execute(DuckdbOverheadBench.CREATE, List.of());
      leader.executor().execute(DuckdbOverheadBench.POPULATE, List.of(SqlValue.of(rows)));
      for (int r = 0; r < 5; r++) {
        long before = storeBytes(dir.resolve("store"));
        leader.executor().execute(DuckdbOverheadBench.UPDATE, List.of(SqlValue.of(rows / 2 + r * 1000L)));
        update[r] = storeBytes(dir.resolve("store")) - before;
        before = storeBytes(dir.resolve("store"));
        leader.executor().execute(DuckdbOverheadBench.BULK_INSERT, List.of(SqlValue.of(rows + r * (long) DuckdbOverheadBench.BULK),
            SqlValue.of(rows + (r + 1) * (long) DuckdbOverheadBench.BULK)));
        bulk[r] = storeBytes(dir.resolve("store")) - before;
      }
    }
    Arrays.sort(update);
    Arrays.sort(bulk);
    System.out.printf(Locale.ROOT, "bytes_shipped_per_row op=update_1row bytes=%d%n", update[2]);
    System.out.printf(Locale.ROOT, "bytes_shipped_per_row op=bulk_insert_100k bytes=%.1f (changeset %d bytes)%n",
        bulk[2] / (double) DuckdbOverheadBench.BULK, bulk[2]);
    granularity(dir, rows);
  }

  /** The same two changes on a plain DuckDB file, diffed at 4 KiB and at 256 KiB. */
  private static void granularity(Path dir, int rows) throws Exception {
    Path f = dir.resolve("plain.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + f); var s = c.createStatement()) {
      s.execute(DuckdbOverheadBench.CREATE);
      s.execute(DuckdbOverheadBench.POPULATE.replace("?", Integer.toString(rows)));
      s.execute("CHECKPOINT");
      byte[] before = Files.readAllBytes(f);
      s.execute("UPDATE t SET val = val + 1 WHERE id = " + rows / 2);
      s.execute("CHECKPOINT");
      byte[] after = Files.readAllBytes(f);
      print("update_1row", before, after);
      s.execute("INSERT INTO t SELECT i, i % 100, (i * 7) % 1000, 'name-' || i FROM range(" + rows + ", "
          + (rows + DuckdbOverheadBench.BULK) + ") r(i)");
      s.execute("CHECKPOINT");
      print("bulk_insert_100k", after, Files.readAllBytes(f));
    }
  }

  private static void print(String op, byte[] a, byte[] b) {
    System.out.printf(Locale.ROOT, "# granularity op=%s file_bytes=%d changed_4k_pages=%d (%d bytes) changed_256k_blocks=%d"
        + " (%d bytes)%n", op, b.length, changed(a, b, 4096), changed(a, b, 4096) * 4096L, changed(a, b, 262144),
        changed(a, b, 262144) * 262144L);
  }

  private static long changed(byte[] a, byte[] b, int unit) {
    long n = 0;
    for (long off = 0; off < b.length; off += unit) {
      int end = (int) Math.min(b.length, off + unit);
      if (off >= a.length || !Arrays.equals(a, (int) off, Math.min(a.length, end), b, (int) off, end)) {
        n++;
      }
    }
    return n;
  }

  private static long storeBytes(Path store) throws Exception {
    try (Stream<Path> files = Files.walk(store)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
