package io.hadb.api.engine;

import io.hadb.api.HadbException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@link RowCursor#of}: a cursor over a {@link QueryResult} in memory. It holds nothing of the
 * engine. Its own conversions: TEXT read as a number must be one (a decimal, surrounding blanks
 * allowed; anything else fails {@code INVALID_ARGUMENT}), a BLOB read as a number fails, a REAL
 * reads as Java's {@code Double.toString}, a BLOB as UTF-8 text.
 */
final class QueryResultCursor implements RowCursor {
  private final QueryResult result;
  private final List<List<SqlValue>> rows;
  private int row = -1;
  private boolean closed; // by close(), or past the last row (then row == rows.size())

  QueryResultCursor(QueryResult result) {
    this.result = result;
    this.rows = result.rows();
  }

  @Override
  public List<String> columns() {
    return result.columns();
  }

  @Override
  public boolean next() {
    if (row >= rows.size()) {
      return false; // past the last row: stays there, as a JDBC result set does
    }
    checkOpen();
    if (++row < rows.size()) {
      return true;
    }
    closed = true;
    return false;
  }

  @Override
  public SqlValue value(int column) {
    checkOpen();
    if (row < 0) {
      throw HadbException.invalidArgument("the cursor is before its first row: call next() first");
    }
    List<SqlValue> r = rows.get(row);
    if (column < 0 || column >= r.size()) {
      throw HadbException.invalidArgument("column " + column + " is out of range 0.." + (r.size() - 1));
    }
    return r.get(column);
  }

  @Override
  public long longValue(int column) {
    SqlValue v = value(column);
    if (v instanceof SqlValue.Int i) {
      return i.value();
    }
    if (v instanceof SqlValue.Real r) {
      return (long) r.value();
    }
    return v instanceof SqlValue.Null ? 0 : (long) number(v, column).doubleValue();
  }

  @Override
  public double doubleValue(int column) {
    SqlValue v = value(column);
    if (v instanceof SqlValue.Int i) {
      return i.value();
    }
    if (v instanceof SqlValue.Real r) {
      return r.value();
    }
    return v instanceof SqlValue.Null ? 0 : number(v, column).doubleValue();
  }

  @Override
  public String textValue(int column) {
    SqlValue v = value(column);
    if (v instanceof SqlValue.Text t) {
      return t.value();
    }
    if (v instanceof SqlValue.Int i) {
      return Long.toString(i.value());
    }
    if (v instanceof SqlValue.Real r) {
      return Double.toString(r.value());
    }
    if (v instanceof SqlValue.Blob b) {
      return new String(b.value(), StandardCharsets.UTF_8);
    }
    return null;
  }

  @Override
  public boolean isNull(int column) {
    return value(column) instanceof SqlValue.Null;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }

  private BigDecimal number(SqlValue v, int column) {
    if (v instanceof SqlValue.Text t) {
      try {
        return new BigDecimal(t.value().strip());
      } catch (NumberFormatException e) {
        throw HadbException.invalidArgument("column " + columnName(column) + " holds '" + t.value() + "', not a number");
      }
    }
    throw HadbException.invalidArgument("column " + columnName(column) + " holds a blob, not a number");
  }

  private String columnName(int column) {
    return column < result.columns().size() ? result.columns().get(column) : "#" + column;
  }

  private void checkOpen() {
    if (row >= rows.size()) {
      throw HadbException.invalidArgument("the cursor is past its last row");
    }
    if (closed) {
      throw HadbException.closed("the cursor");
    }
  }
}
