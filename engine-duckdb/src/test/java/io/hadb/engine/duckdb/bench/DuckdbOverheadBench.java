package io.hadb.engine.duckdb.bench;

import io.hadb.api.Durability;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.SqlValue;
import io.hadb.engine.duckdb.DuckdbEngine;
import io.hadb.engine.duckdb.DuckdbOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * benchmarks/duckdb-overhead.sh's measuring side: raw duckdb_jdbc against the engine as an ASYNC
 * leader on storage-local and a follower of it, on the same table of {@code rows} rows (default
 * 1M). One JVM measures one side and one operation (sharing a JVM measures the JIT, see
 * engine-sqlite's OverheadBench); the script alternates the sides and takes medians.
 *
 * <p>Modes: {@code raw|leader|follower <rows> <op>} print {@code side=<s> op=<op> ops_s=<n>} (the
 * best timed round after a warm-up); {@code lag <rows>} prints {@code lag_ms_p50/p99} (a 1-row
 * batch commit on the leader until a reader on a follower pulling in a loop sees it); {@code
 * bytes <rows>} prints the bytes the chain stored for one 1-row update and for one 100k-row
 * insert, and what the same changes would cost at DuckDB's 256 KiB block granularity.
 */
public final class DuckdbOverheadBench {
  static final long WARMUP_NANOS = 1_000_000_000L;
  static final long MEASURE_NANOS = 3_000_000_000L;
  static final int BULK = 100_000;
  static final String CREATE = "CREATE TABLE t(id BIGINT PRIMARY KEY, grp INTEGER, val DOUBLE, name VARCHAR)";
  static final String POPULATE = "INSERT INTO t SELECT i, i % 100, (i * 7) % 1000, 'name-' || i FROM range(0, ?) r(i)";
  static final String AGGREGATE = "SELECT grp, sum(val) FROM t GROUP BY grp";
  static final String FILTER = "SELECT id, val FROM t WHERE grp = 7 AND val < 10";
  static final String POINT = "SELECT id, grp, val, name FROM t WHERE id = ?";
  static final String BULK_INSERT = "INSERT INTO t SELECT i, i % 100, (i * 7) % 1000, 'name-' || i FROM range(?, ?) r(i)";
  static final String UPDATE = "UPDATE t SET val = val + 1 WHERE id = ?";

  private DuckdbOverheadBench() {}

  /** One operation on one side: {@code run(i)} does it once, the i-th time. */
  interface Side {
    void run(String op, long i) throws Exception;
  }

  /** What ends a timed round of writes: the rows folded into the file (and, for HA, shipped). */
  interface Finish {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    String op = args.length > 2 ? args[2] : null;
    Path dir = Files.createTempDirectory("hadb-duckdb-bench");
    try {
      switch (mode) {
        case "raw" -> raw(dir, rows, op);
        case "leader", "follower" -> ha(dir, rows, op, mode.equals("follower"));
        case "lag" -> LagAndBytes.lag(dir, rows);
        case "bytes" -> LagAndBytes.bytes(dir, rows);
        default -> throw new IllegalArgumentException("mode must be raw, leader, follower, lag or bytes, was " + mode);
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Every side measures a file its process opened after the file was written (raw reopens it,
   * the leader's engine is reopened, the follower opened its copy): a DuckDB that wrote the rows
   * itself keeps some of them in memory in another form, and scans them faster than any reader
   * of the file can, which would compare a follower with something no follower can be.
   */
  static void raw(Path dir, int rows, String op) throws Exception {
    String url = "jdbc:duckdb:" + dir.resolve("raw.duckdb");
    try (Connection c = DriverManager.getConnection(url)) {
      try (var s = c.createStatement()) {
        s.execute(CREATE);
      }
      try (PreparedStatement p = c.prepareStatement(POPULATE)) {
        p.setLong(1, rows);
        p.execute();
      }
    }
    try (Connection c = DriverManager.getConnection(url)) {
      List<PreparedStatement> open = new ArrayList<>();
      PreparedStatement agg = track(open, c.prepareStatement(AGGREGATE));
      PreparedStatement filter = track(open, c.prepareStatement(FILTER));
      PreparedStatement point = track(open, c.prepareStatement(POINT));
      PreparedStatement bulk = track(open, c.prepareStatement(BULK_INSERT));
      PreparedStatement update = track(open, c.prepareStatement(UPDATE));
      SplittableRandom rnd = new SplittableRandom(1);
      Finish checkpoint = () -> {
        try (var s = c.createStatement()) {
          s.execute("CHECKPOINT");
        }
      };
      measure("raw", op, checkpoint, (o, i) -> {
        switch (o) {
          case "aggregate" -> drain(agg.executeQuery());
          case "filter" -> drain(filter.executeQuery());
          case "point_lookup" -> {
            point.setLong(1, rnd.nextInt(rows));
            drain(point.executeQuery());
          }
          case "bulk_insert_100k" -> {
            bulk.setLong(1, rows + i * BULK);
            bulk.setLong(2, rows + (i + 1) * BULK);
            bulk.execute();
          }
          case "update_1row" -> {
            update.setLong(1, rnd.nextInt(rows));
            update.execute();
          }
          default -> throw new IllegalArgumentException("unknown op " + o);
        }
      });
      for (PreparedStatement p : open) {
        p.close();
      }
    }
  }

  private static PreparedStatement track(List<PreparedStatement> open, PreparedStatement p) {
    open.add(p);
    return p;
  }

  /** Reads every cell, as the engine's executor does. */
  private static void drain(ResultSet rs) throws Exception {
    try (rs) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= n; i++) {
          rs.getObject(i);
        }
      }
    }
  }

  static void ha(Path dir, int rows, String op, boolean onFollower) throws Exception {
    DuckdbOptions options = DuckdbOptions.defaults().withDurability(Durability.ASYNC);
    try (StorageBackend storage = StorageBackends.open("file://" + dir.resolve("store") + "?fsync=false")) {
      try (DuckdbEngine writer = DuckdbEngine.open(dir.resolve("leader.duckdb"), storage, "bench/", options)) {
        writer.replicator().startPublishing(1, 1);
        writer.executor().execute(CREATE, List.of());
        writer.executor().execute(POPULATE, List.of(SqlValue.of(rows)));
      }
      haReopened(dir, storage, options, rows, op, onFollower);
    }
  }

  private static void haReopened(Path dir, StorageBackend storage, DuckdbOptions options, int rows, String op,
      boolean onFollower) throws Exception {
    try (DuckdbEngine leader = DuckdbEngine.open(dir.resolve("leader.duckdb"), storage, "bench/", options);
        DuckdbEngine follower = DuckdbEngine.open(dir.resolve("follower.duckdb"), storage, "bench/", options)) {
      leader.replicator().startPublishing(1, leader.replicator().appliedSeq() + 1);
      follower.replicator().pull();
      Executor ex = onFollower ? follower.executor() : leader.executor();
      Executor writer = leader.executor();
      SplittableRandom rnd = new SplittableRandom(1);
      measure(onFollower ? "follower" : "leader", op, () -> leader.replicator().sync(), (o, i) -> {
        switch (o) {
          case "aggregate" -> ex.query(AGGREGATE, List.of());
          case "filter" -> ex.query(FILTER, List.of());
          case "point_lookup" -> ex.query(POINT, List.of(SqlValue.of(rnd.nextInt(rows))));
          case "bulk_insert_100k" -> writer.execute(BULK_INSERT, List.of(SqlValue.of(rows + i * BULK),
              SqlValue.of(rows + (i + 1) * BULK)));
          case "update_1row" -> writer.execute(UPDATE, List.of(SqlValue.of(rnd.nextInt(rows))));
          default -> throw new IllegalArgumentException("unknown op " + o);
        }
      });
      leader.replicator().sync();
    }
  }

  /**
   * Reads: the best rate over timed rounds of at least 0.5 s after a warm-up. Writes: the median
   * rate over three rounds of at least 2 s and 10 operations, each ending with {@code finish}
   * inside the timing, so both sides pay for folding their rows into the file (raw: a
   * CHECKPOINT, besides DuckDB's own automatic ones; HA: a sync, the capture's checkpoint and
   * ship). A best short round would time a write while the leader's capture of the previous one
   * has not started yet.
   */
  static void measure(String side, String op, Finish finish, Side s) throws Exception {
    boolean write = op.startsWith("bulk") || op.startsWith("update");
    long i = 0;
    long warm = System.nanoTime() + WARMUP_NANOS;
    while (i < 2 || System.nanoTime() < warm) {
      s.run(op, i++);
    }
    if (write) {
      finish.run();
      double[] rates = new double[3];
      for (int round = 0; round < rates.length; round++) {
        long t0 = System.nanoTime();
        long n = 0;
        while (n < 10 || System.nanoTime() - t0 < 2_000_000_000L) {
          s.run(op, i++);
          n++;
        }
        finish.run();
        rates[round] = n / ((System.nanoTime() - t0) / 1e9);
      }
      java.util.Arrays.sort(rates);
      System.out.printf(Locale.ROOT, "side=%s op=%s ops_s=%.2f%n", side, op, rates[1]);
      return;
    }
    double best = 0;
    long end = System.nanoTime() + MEASURE_NANOS;
    for (int round = 0; round < 3 || System.nanoTime() < end; round++) {
      long t0 = System.nanoTime();
      long n = 0;
      while (n < 3 || System.nanoTime() - t0 < 500_000_000L) {
        s.run(op, i++);
        n++;
      }
      best = Math.max(best, n / ((System.nanoTime() - t0) / 1e9));
    }
    System.out.printf(Locale.ROOT, "side=%s op=%s ops_s=%.2f%n", side, op, best);
  }
}
