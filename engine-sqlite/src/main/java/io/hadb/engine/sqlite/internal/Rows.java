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

/** Binds {@link SqlValue} parameters and reads typed rows. */
public final class Rows {
  private Rows() {}

  public static void bind(PreparedStatement ps, List<SqlValue> params, String sql) throws SQLException {
    HadbException.requireArg(params, "params");
    int expected = ps.getParameterMetaData().getParameterCount();
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

  /** Reads every row; each cell keeps SQLite's storage class of that row's value. */
  public static QueryResult read(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    List<String> columns = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      columns.add(md.getColumnLabel(i));
    }
    List<List<SqlValue>> rows = new ArrayList<>();
    while (rs.next()) {
      SqlValue[] row = new SqlValue[n];
      for (int i = 1; i <= n; i++) {
        row[i - 1] = cell(rs, i);
      }
      // An unmodifiable list already: QueryResult's List.copyOf keeps it instead of copying.
      rows.add(List.of(row));
    }
    return new QueryResult(columns, rows);
  }

  private static SqlValue cell(ResultSet rs, int i) throws SQLException {
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
