package io.hadb.engine.sqlite.internal;

import io.hadb.api.HadbException;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlValue;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.core.Codes;
import org.sqlite.core.CoreResultSet;
import org.sqlite.core.CoreStatement;

/** Binds {@link SqlValue} parameters and reads typed rows. */
public final class Rows {
  private Rows() {}

  /** Binds {@code params}, which must number {@code expected} (the statement's parameters). */
  public static void bind(PreparedStatement ps, int expected, List<SqlValue> params, String sql) throws SQLException {
    HadbException.requireArg(params, "params");
    if (expected != params.size()) {
      throw HadbException.invalidArgument("statement takes " + expected + " parameter(s) but "
          + params.size() + " were given: " + SqlText.abbreviate(sql, 200));
    }
    for (int i = 0; i < params.size(); i++) {
      SqlValue v = HadbException.requireArg(params.get(i), "parameter " + (i + 1));
      int at = i + 1;
      if (v instanceof SqlValue.Null) {
        ps.setNull(at, Types.NULL);
      } else if (v instanceof SqlValue.Int x) {
        ps.setLong(at, x.value());
      } else if (v instanceof SqlValue.Real x) {
        ps.setDouble(at, x.value());
      } else if (v instanceof SqlValue.Text x) {
        ps.setString(at, x.value());
      } else if (v instanceof SqlValue.Blob x) {
        ps.setBytes(at, x.value());
      }
    }
  }

  /**
   * Runs the prepared {@code SELECT last_insert_rowid()} and returns its value. Straight on
   * sqlite-jdbc's statement handle (step, read, reset: one call into the driver) instead of
   * through a ResultSet, which costs as much again as the INSERT it follows in a batch. The
   * reset also leaves the cached statement idle (a statement left on a row is "in progress",
   * and VACUUM refuses to run).
   */
  public static long lastInsertRowid(PreparedStatement ps) throws SQLException {
    if (ps instanceof CoreStatement cs && cs.pointer != null) {
      return cs.pointer.safeRunLong((db, handle) -> {
        try {
          return db.step(handle) == Codes.SQLITE_ROW ? db.column_long(handle, 0) : 0;
        } finally {
          db.reset(handle);
        }
      });
    }
    try (ResultSet rs = ps.executeQuery()) {
      long id = rs.next() ? rs.getLong(1) : 0;
      while (rs.next()) {
        // one row only
      }
      return id;
    }
  }

  /**
   * The number of result columns of a prepared statement (0 for DML without RETURNING and for
   * DDL). Asked of SQLite directly: the driver's metadata throws instead of answering 0.
   */
  public static int columnCount(PreparedStatement ps) throws SQLException {
    if (ps instanceof CoreStatement cs && cs.pointer != null) {
      return cs.pointer.safeRunInt((db, handle) -> db.column_count(handle));
    }
    return ps.getMetaData().getColumnCount();
  }

  /** Whether column {@code i} (from 1) of the statement's current row holds NULL: one call into SQLite. */
  public static boolean isNull(PreparedStatement ps, ResultSet rs, int i) throws SQLException {
    if (ps instanceof CoreStatement cs && cs.pointer != null) {
      return cs.pointer.safeRunInt((db, handle) -> db.column_type(handle, i - 1)) == Codes.SQLITE_NULL;
    }
    return rs.getObject(i) == null;
  }

  /** SQLite's changes(): rows changed by the connection's last finished DML statement. */
  public static long changes(PreparedStatement ps) throws SQLException {
    if (ps instanceof CoreStatement cs && cs.pointer != null) {
      return cs.pointer.safeRunLong((db, handle) -> db.changes());
    }
    return ps.getLargeUpdateCount();
  }

  /** Reads every row; each cell keeps SQLite's storage class of that row's value. */
  public static QueryResult read(ResultSet rs) throws SQLException {
    List<String> columns = columnNames(rs);
    int n = columns.size();
    if (!rs.next()) {
      return new QueryResult(columns, List.of());
    }
    List<SqlValue> first = row(rs, n);
    if (!rs.next()) {
      return new QueryResult(columns, List.of(first)); // a point lookup: no list to grow and copy
    }
    List<List<SqlValue>> rows = new ArrayList<>();
    rows.add(first);
    do {
      rows.add(row(rs, n));
    } while (rs.next());
    return new QueryResult(columns, rows);
  }

  /** The current row; an unmodifiable list already, which QueryResult keeps instead of copying. */
  private static List<SqlValue> row(ResultSet rs, int n) throws SQLException {
    if (n == 1) {
      return List.of(cell(rs, 1));
    }
    if (n == 2) {
      return List.of(cell(rs, 1), cell(rs, 2));
    }
    SqlValue[] row = new SqlValue[n];
    for (int i = 1; i <= n; i++) {
      row[i - 1] = cell(rs, i);
    }
    return List.of(row);
  }

  /**
   * {@code a} as an unmodifiable list. One or two elements (a count, a key and a value) take
   * the JDK's two-element list, which holds them without copying the array.
   */
  private static <T> List<T> listOf(T[] a) {
    return switch (a.length) {
      case 1 -> List.of(a[0]);
      case 2 -> List.of(a[0], a[1]);
      default -> List.of(a);
    };
  }

  /**
   * The result's column labels. sqlite-jdbc already holds them (decoded once when the statement
   * is prepared, in {@code colsMeta}); asking through {@code ResultSetMetaData} would cross into
   * SQLite and decode each name again on every query, a measurable share of a point lookup.
   */
  public static List<String> columnNames(ResultSet rs) throws SQLException {
    if (rs instanceof CoreResultSet core && core.colsMeta != null) {
      try {
        return listOf(core.colsMeta);
      } catch (NullPointerException e) {
        // a name SQLite could not give (out of memory): ask through the metadata below
      }
    }
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    String[] names = new String[n];
    for (int i = 1; i <= n; i++) {
      names[i - 1] = md.getColumnLabel(i);
    }
    return List.of(names);
  }

  public static SqlValue cell(ResultSet rs, int i) throws SQLException {
    // sqlite-jdbc's getObject switches on sqlite3_column_type of the current row, so each cell
    // keeps its own storage class (SQLite is dynamically typed per value, not per column).
    Object o = rs.getObject(i);
    if (o == null) {
      return SqlValue.NULL;
    }
    if (o instanceof Integer || o instanceof Long) {
      return new SqlValue.Int(((Number) o).longValue());
    }
    if (o instanceof Double || o instanceof Float) {
      return new SqlValue.Real(((Number) o).doubleValue());
    }
    if (o instanceof byte[] b) {
      return new SqlValue.Blob(b);
    }
    return new SqlValue.Text(o instanceof String t ? t : rs.getString(i));
  }
}
