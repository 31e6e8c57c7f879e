package io.hadb.engine.sqlite.bench;

import io.hadb.api.engine.Executor;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The measured operations, once on raw JDBC and once on the engine's {@link Executor}. */
abstract class BenchOps {
  enum Op {
    POINT_LOOKUP("point_lookup", 20_000),
    RANGE_SCAN("range_scan_100", 2_000),
    FULL_SCAN("full_scan", 5),
    INSERT("insert_autocommit", 3_000),
    UPDATE("update_by_pk", 3_000),
    BATCH_INSERT("batch_insert_1000_tx", 100); // 100 transactions: several checkpoints a round

    private final String label;
    final int count;

    Op(String label, int count) {
      this.label = label;
      this.count = count;
    }

    String label() {
      return label;
    }

    static Op fromLabel(String label) {
      for (Op op : values()) {
        if (op.label.equals(label)) {
          return op;
        }
      }
      throw new IllegalArgumentException("no operation " + label);
    }
  }

  static final String POPULATE = "INSERT INTO t (id, k, v) SELECT x, x * 7 % 1000, printf('%0100d', x)"
      + " FROM (WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < ROWS) SELECT x FROM g)";
  static final String SCHEMA = "CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER NOT NULL, v TEXT NOT NULL)";
  static final String POINT = "SELECT k, v FROM t WHERE id = ?";
  static final String RANGE = "SELECT id, k, v FROM t WHERE id >= ? AND id < ?";
  static final String FULL = "SELECT id, k, v FROM t";
  static final String INSERT = "INSERT INTO t (k, v) VALUES (?, ?)";
  static final String UPDATE = "UPDATE t SET k = k + 1 WHERE id = ?";
  static final String VALUE = "x".repeat(100);

  final int rows;
  long checksum; // consumed results, so no read is optimised away

  BenchOps(int rows) {
    this.rows = rows;
  }

  abstract void populate() throws SQLException;

  abstract void runOnce(Op op, Random rnd) throws SQLException;

  /** Operations per second of {@code op.count} runs; the same random keys for raw and HA. */
  double measure(Op op) throws SQLException {
    Random rnd = new Random(op.ordinal());
    long t0 = System.nanoTime();
    for (int i = 0; i < op.count; i++) {
      runOnce(op, rnd);
    }
    return op.count / ((System.nanoTime() - t0) / 1e9);
  }

  long id(Random rnd) {
    return 1 + rnd.nextInt(rows);
  }

  static final class Raw extends BenchOps {
    private final Connection c;
    private final PreparedStatement point;
    private final PreparedStatement range;
    private final PreparedStatement full;
    private final PreparedStatement insert;
    private final PreparedStatement update;

    Raw(Connection c, int rows) throws SQLException {
      super(rows);
      this.c = c;
      try (Statement s = c.createStatement()) {
        s.execute(SCHEMA);
      }
      point = c.prepareStatement(POINT);
      range = c.prepareStatement(RANGE);
      full = c.prepareStatement(FULL);
      insert = c.prepareStatement(INSERT);
      update = c.prepareStatement(UPDATE);
    }

    @Override
    void populate() throws SQLException {
      try (Statement s = c.createStatement()) {
        s.execute(POPULATE.replace("ROWS", Integer.toString(rows)));
      }
    }

    @Override
    void runOnce(Op op, Random rnd) throws SQLException {
      switch (op) {
        case POINT_LOOKUP -> {
          point.setLong(1, id(rnd));
          read(point);
        }
        case RANGE_SCAN -> {
          long from = id(rnd);
          range.setLong(1, from);
          range.setLong(2, from + 100);
          read(range);
        }
        case FULL_SCAN -> read(full);
        case INSERT -> {
          insert.setLong(1, rnd.nextInt(1000));
          insert.setString(2, VALUE);
          insert.executeUpdate();
        }
        case UPDATE -> {
          update.setLong(1, id(rnd));
          update.executeUpdate();
        }
        case BATCH_INSERT -> {
          c.setAutoCommit(false);
          for (int i = 0; i < 1000; i++) {
            insert.setLong(1, rnd.nextInt(1000));
            insert.setString(2, VALUE);
            insert.executeUpdate();
          }
          c.commit();
          c.setAutoCommit(true);
        }
      }
    }

    /** Reads every column of every row, as the engine does. */
    private void read(PreparedStatement ps) throws SQLException {
      try (ResultSet rs = ps.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          for (int i = 1; i <= n; i++) {
            Object o = rs.getObject(i);
            checksum += o == null ? 0 : 1;
          }
        }
      }
    }
  }

  static final class Ha extends BenchOps {
    private final Executor ex;

    Ha(Executor ex, int rows) {
      super(rows);
      this.ex = ex;
      ex.execute(SCHEMA, List.of());
    }

    @Override
    void populate() {
      ex.execute(POPULATE.replace("ROWS", Integer.toString(rows)), List.of());
    }

    @Override
    void runOnce(Op op, Random rnd) {
      switch (op) {
        case POINT_LOOKUP -> read(ex.query(POINT, List.of(SqlValue.of(id(rnd)))));
        case RANGE_SCAN -> {
          long from = id(rnd);
          read(ex.query(RANGE, List.of(SqlValue.of(from), SqlValue.of(from + 100))));
        }
        case FULL_SCAN -> read(ex.query(FULL, List.of()));
        case INSERT -> ex.execute(INSERT, List.of(SqlValue.of(rnd.nextInt(1000)), SqlValue.of(VALUE)));
        case UPDATE -> ex.execute(UPDATE, List.of(SqlValue.of(id(rnd))));
        case BATCH_INSERT -> {
          List<SqlStatement> batch = new ArrayList<>(1000);
          for (int i = 0; i < 1000; i++) {
            batch.add(new SqlStatement(INSERT, List.of(SqlValue.of(rnd.nextInt(1000)), SqlValue.of(VALUE))));
          }
          ex.executeBatch(batch);
        }
      }
    }

    private void read(QueryResult r) {
      for (List<SqlValue> row : r.rows()) {
        for (SqlValue v : row) {
          checksum += v instanceof SqlValue.Null ? 0 : 1;
        }
      }
    }
  }
}
