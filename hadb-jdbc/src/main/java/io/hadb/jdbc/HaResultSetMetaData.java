package io.hadb.jdbc;

import io.hadb.api.engine.SqlValue;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Column names, and a column's type as the engine's storage class of its value in the row the
 * result set is on (the engine answers values, not declared types; before the first
 * {@code next()} the first row's, read ahead): INTEGER as BIGINT, REAL as DOUBLE, TEXT as
 * VARCHAR, BLOB as BLOB; a NULL there, or no row, as NULL.
 */
final class HaResultSetMetaData implements ResultSetMetaData {
  /** A column's value (from 1) in the row the result set is on, NULL when it is on none. */
  interface Sample {
    SqlValue of(int column) throws SQLException;
  }

  private final List<String> columns;
  private final Sample sample;

  HaResultSetMetaData(List<String> columns, Sample sample) {
    this.columns = columns;
    this.sample = sample;
  }

  private void check(int c) throws SQLException {
    if (c < 1 || c > columns.size()) {
      throw new SQLException("column index " + c + " is out of range 1.." + columns.size(), "07009");
    }
  }

  @Override
  public int getColumnCount() {
    return columns.size();
  }

  @Override
  public String getColumnLabel(int c) throws SQLException {
    check(c);
    return columns.get(c - 1);
  }

  @Override
  public String getColumnName(int c) throws SQLException {
    return getColumnLabel(c);
  }

  @Override
  public int getColumnType(int c) throws SQLException {
    check(c);
    SqlValue v = sample.of(c);
    if (v instanceof SqlValue.Int) {
      return Types.BIGINT;
    }
    if (v instanceof SqlValue.Real) {
      return Types.DOUBLE;
    }
    if (v instanceof SqlValue.Text) {
      return Types.VARCHAR;
    }
    if (v instanceof SqlValue.Blob) {
      return Types.BLOB;
    }
    return Types.NULL;
  }

  @Override
  public String getColumnTypeName(int c) throws SQLException {
    return switch (getColumnType(c)) {
      case Types.BIGINT -> "INTEGER";
      case Types.DOUBLE -> "REAL";
      case Types.VARCHAR -> "TEXT";
      case Types.BLOB -> "BLOB";
      default -> "NULL";
    };
  }

  @Override
  public String getColumnClassName(int c) throws SQLException {
    return switch (getColumnType(c)) {
      case Types.BIGINT -> Long.class.getName();
      case Types.DOUBLE -> Double.class.getName();
      case Types.BLOB -> byte[].class.getName();
      default -> String.class.getName();
    };
  }

  @Override
  public boolean isAutoIncrement(int c) throws SQLException {
    check(c);
    return false;
  }

  @Override
  public boolean isCaseSensitive(int c) throws SQLException {
    check(c);
    return true;
  }

  @Override
  public boolean isSearchable(int c) throws SQLException {
    check(c);
    return true;
  }

  @Override
  public boolean isCurrency(int c) throws SQLException {
    check(c);
    return false;
  }

  @Override
  public int isNullable(int c) throws SQLException {
    check(c);
    return columnNullableUnknown;
  }

  @Override
  public boolean isSigned(int c) throws SQLException {
    int t = getColumnType(c);
    return t == Types.BIGINT || t == Types.DOUBLE;
  }

  @Override
  public int getColumnDisplaySize(int c) throws SQLException {
    check(c);
    return Integer.MAX_VALUE;
  }

  @Override
  public String getSchemaName(int c) throws SQLException {
    check(c);
    return "";
  }

  @Override
  public int getPrecision(int c) throws SQLException {
    check(c);
    return 0;
  }

  @Override
  public int getScale(int c) throws SQLException {
    check(c);
    return 0;
  }

  @Override
  public String getTableName(int c) throws SQLException {
    check(c);
    return "";
  }

  @Override
  public String getCatalogName(int c) throws SQLException {
    check(c);
    return "";
  }

  @Override
  public boolean isReadOnly(int c) throws SQLException {
    check(c);
    return true;
  }

  @Override
  public boolean isWritable(int c) throws SQLException {
    check(c);
    return false;
  }

  @Override
  public boolean isDefinitelyWritable(int c) throws SQLException {
    check(c);
    return false;
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("HaResultSetMetaData does not wrap a " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
