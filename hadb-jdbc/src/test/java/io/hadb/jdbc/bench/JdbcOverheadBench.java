package io.hadb.jdbc.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hadb.api.Durability;
import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.Role;
import io.hadb.jdbc.HaDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.sql.DataSource;

/**
 * The six operations of the SQLite overhead benchmark (DESIGN §7), written once against JDBC and
 * run on two DataSources: {@code raw}, sqlite-jdbc through HikariCP (WAL, synchronous=NORMAL and
 * a 64 MiB page cache, as the engine opens its file; SQLite's own checkpoints, where the engine
 * checkpoints as it ships), and {@code hadb}, {@link HaDataSource} on a leader replicating
 * ASYNC to {@code file:} storage. One JVM measures one side and one operation (a shared JVM
 * measures the JIT); {@code benchmarks/jdbc-overhead.sh} alternates them.
 *
 * <p>Output: {@code side=<raw|hadb> op=<name> ops_s=<n>} (best timed round after a warm-up).
 */
public final class JdbcOverheadBench {
  private static final String VALUE = "x".repeat(100);
  private static final long WARMUP_NANOS = 2_000_000_000L;
  private static final long MEASURE_NANOS = 3_000_000_000L;

  private JdbcOverheadBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("hadb-jdbc-bench");
    try {
      run(args[0], Integer.parseInt(args[1]), args[2], dir);
    } finally {
      // Hundreds of MiB per run (the chain of every batch): a run must not leave it behind.
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(String side, int rows, String op, Path dir) throws Exception {
    AutoCloseable owner;
    DataSource ds;
    if (side.equals("raw")) {
      HikariConfig c = new HikariConfig();
      c.setJdbcUrl("jdbc:sqlite:" + dir.resolve("raw.db"));
      c.addDataSourceProperty("journal_mode", "WAL");
      c.addDataSourceProperty("synchronous", "NORMAL");
      // The engine's page cache (engine-sqlite's Connections.CACHE_KIB): with SQLite's default
      // 2 MiB, random lookups and updates on 100,000 rows measure the cache, not the layers.
      c.addDataSourceProperty("cache_size", "-65536");
      c.setMaximumPoolSize(2);
      HikariDataSource h = new HikariDataSource(c);
      owner = h;
      ds = h;
    } else {
      HaDatabase db = HaDatabase.builder()
          .database("bench").nodeId("bench").secret("a-shared-secret-of-32-characters")
          .durability(Durability.ASYNC).environment(Map.of()).closeOnShutdown(false)
          .lease("file://" + dir.resolve("leases") + "?fsync=false")
          .storage("file://" + dir.resolve("chain"))
          .open(dir.resolve("hadb.db"), "");
      db.awaitReady(java.time.Duration.ofSeconds(30));
      while (db.role() != Role.LEADER) {
        Thread.sleep(10);
      }
      owner = db;
      ds = HaDataSource.of(db);
    }
    try (owner; Connection c = ds.getConnection()) {
      try (Statement s = c.createStatement()) {
        s.executeUpdate("CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER NOT NULL, v TEXT NOT NULL)");
        s.executeUpdate("INSERT INTO t (id, k, v) SELECT x, x * 7 % 1000, printf('%0100d', x) FROM (WITH RECURSIVE"
            + " g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < " + rows + ") SELECT x FROM g)");
      }
      Ops ops = new Ops(c, rows);
      long warm = System.nanoTime() + WARMUP_NANOS;
      while (System.nanoTime() < warm) {
        ops.round(op);
      }
      double best = 0;
      long end = System.nanoTime() + MEASURE_NANOS;
      for (int r = 0; r < 3 || System.nanoTime() < end; r++) {
        best = Math.max(best, ops.round(op));
      }
      System.out.printf(Locale.ROOT, "side=%s op=%s ops_s=%.1f%n", side, op, best);
    }
  }

  /** One timed round of an operation on one connection, in operations per second. */
  private static final class Ops {
    private final Connection c;
    private final int rows;
    private final SplittableRandom rnd = new SplittableRandom(42);
    private final PreparedStatement point;
    private final PreparedStatement range;
    private final PreparedStatement full;
    private final PreparedStatement insert;
    private final PreparedStatement update;

    Ops(Connection c, int rows) throws Exception {
      this.c = c;
      this.rows = rows;
      point = c.prepareStatement("SELECT k, v FROM t WHERE id = ?");
      range = c.prepareStatement("SELECT id, k, v FROM t WHERE id >= ? AND id < ?");
      full = c.prepareStatement("SELECT id, k, v FROM t");
      insert = c.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)");
      update = c.prepareStatement("UPDATE t SET k = k + 1 WHERE id = ?");
    }

    double round(String op) throws Exception {
      int n = switch (op) {
        case "point_lookup" -> 20_000;
        case "range_scan_100" -> 2_000;
        case "full_scan" -> 5;
        case "insert_autocommit", "update_by_pk" -> 3_000;
        case "batch_insert_1000_tx" -> 100;
        default -> throw new IllegalArgumentException("no operation " + op);
      };
      long sink = 0;
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        switch (op) {
          case "point_lookup" -> {
            point.setLong(1, 1 + rnd.nextInt(rows));
            try (ResultSet rs = point.executeQuery()) {
              while (rs.next()) {
                sink += rs.getLong(1) + rs.getString(2).length();
              }
            }
          }
          case "range_scan_100" -> {
            long from = 1 + rnd.nextInt(rows - 100);
            range.setLong(1, from);
            range.setLong(2, from + 100);
            try (ResultSet rs = range.executeQuery()) {
              while (rs.next()) {
                sink += rs.getLong(1) + rs.getLong(2) + rs.getString(3).length();
              }
            }
          }
          case "full_scan" -> {
            try (ResultSet rs = full.executeQuery()) {
              while (rs.next()) {
                sink += rs.getLong(1) + rs.getLong(2) + rs.getString(3).length();
              }
            }
          }
          case "insert_autocommit" -> {
            insert.setInt(1, rnd.nextInt(1000));
            insert.setString(2, VALUE);
            sink += insert.executeUpdate();
          }
          case "update_by_pk" -> {
            update.setLong(1, 1 + rnd.nextInt(rows));
            sink += update.executeUpdate();
          }
          default -> {
            c.setAutoCommit(false);
            for (int j = 0; j < 1000; j++) {
              insert.setInt(1, rnd.nextInt(1000));
              insert.setString(2, VALUE);
              insert.addBatch();
            }
            for (int count : insert.executeBatch()) {
              sink += count;
            }
            c.commit();
            c.setAutoCommit(true);
          }
        }
      }
      long nanos = System.nanoTime() - start;
      if (sink == 42) {
        System.out.print("");
      }
      return n * 1e9 / nanos;
    }
  }
}
