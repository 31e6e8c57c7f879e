package io.hadb.jdbc;

import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlValue;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A forward-only, read-only cursor over a query's rows, which the engine (or the leader) answered
 * whole: nothing is held open on the database while the application reads them.
 */
final class HaResultSet extends UnsupportedResultSet {
  private final Statement statement;
  private final List<String> columns;
  private final List<List<SqlValue>> rows;
  private Map<String, Integer> byLabel; // built at the first look-up by label
  private int row = -1;
  private boolean wasNull;
  private boolean closed;
  private int fetchSize;

  HaResultSet(Statement statement, QueryResult result, int maxRows) {
    this.statement = statement;
    this.columns = result.columns();
    List<List<SqlValue>> all = result.rows();
    this.rows = maxRows > 0 && all.size() > maxRows ? all.subList(0, maxRows) : all;
  }

  // ------------------------------------------------------------------ cursor

  @Override
  public boolean next() throws SQLException {
    checkOpen();
    if (row < rows.size()) {
      row++;
    }
    return row < rows.size();
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public boolean wasNull() {
    return wasNull;
  }

  @Override
  public int findColumn(String label) throws SQLException {
    checkOpen();
    if (byLabel == null) {
      byLabel = new HashMap<>();
      for (int i = columns.size() - 1; i >= 0; i--) {
        byLabel.put(columns.get(i).toLowerCase(Locale.ROOT), i + 1); // the first of a repeated label wins
      }
    }
    Integer i = byLabel.get(String.valueOf(label).toLowerCase(Locale.ROOT));
    if (i == null) {
      throw new SQLException("no column '" + label + "' in the result (columns: " + columns + ")", "42S22");
    }
    return i;
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    checkOpen();
    return new HaResultSetMetaData(columns, rows);
  }

  @Override
  public int getRow() {
    return row >= 0 && row < rows.size() ? row + 1 : 0;
  }

  @Override
  public boolean isBeforeFirst() {
    return row < 0 && !rows.isEmpty();
  }

  @Override
  public boolean isAfterLast() {
    return row >= rows.size() && !rows.isEmpty();
  }

  @Override
  public boolean isFirst() {
    return row == 0 && !rows.isEmpty();
  }

  @Override
  public boolean isLast() {
    return !rows.isEmpty() && row == rows.size() - 1;
  }

  @Override
  public int getType() {
    return ResultSet.TYPE_FORWARD_ONLY;
  }

  @Override
  public int getConcurrency() {
    return ResultSet.CONCUR_READ_ONLY;
  }

  @Override
  public int getHoldability() {
    return ResultSet.HOLD_CURSORS_OVER_COMMIT;
  }

  @Override
  public int getFetchDirection() {
    return ResultSet.FETCH_FORWARD;
  }

  @Override
  public void setFetchDirection(int direction) throws SQLException {
    if (direction != ResultSet.FETCH_FORWARD) {
      throw unsupported("ResultSet.setFetchDirection other than FETCH_FORWARD");
    }
  }

  @Override
  public int getFetchSize() {
    return fetchSize;
  }

  @Override
  public void setFetchSize(int rows) {
    fetchSize = rows; // a hint; the rows are here already
  }

  @Override
  public SQLWarning getWarnings() {
    return null;
  }

  @Override
  public void clearWarnings() {}

  @Override
  public Statement getStatement() {
    return statement;
  }

  // ------------------------------------------------------------------ getters

  private SqlValue cell(int column) throws SQLException {
    checkOpen();
    if (row < 0 || row >= rows.size()) {
      throw new SQLException("the cursor is not on a row (call next() first and check what it returns)", "24000");
    }
    if (column < 1 || column > columns.size()) {
      throw new SQLException("column index " + column + " is out of range 1.." + columns.size(), "07009");
    }
    SqlValue v = rows.get(row).get(column - 1);
    wasNull = v instanceof SqlValue.Null;
    return v;
  }

  private String name(int column) {
    return column >= 1 && column <= columns.size() ? columns.get(column - 1) : "#" + column;
  }

  @Override
  public Object getObject(int c) throws SQLException {
    return Values.object(cell(c));
  }

  @Override
  public String getString(int c) throws SQLException {
    return Values.string(cell(c));
  }

  @Override
  public boolean getBoolean(int c) throws SQLException {
    SqlValue v = cell(c);
    if (v instanceof SqlValue.Text t) {
      String s = t.value().strip();
      return s.equalsIgnoreCase("true") || (!s.equalsIgnoreCase("false") && Values.longOf(v, name(c)) != 0);
    }
    return Values.longOf(v, name(c)) != 0;
  }

  @Override
  public byte getByte(int c) throws SQLException {
    return (byte) Values.longOf(cell(c), name(c));
  }

  @Override
  public short getShort(int c) throws SQLException {
    return (short) Values.longOf(cell(c), name(c));
  }

  @Override
  public int getInt(int c) throws SQLException {
    return (int) Values.longOf(cell(c), name(c));
  }

  @Override
  public long getLong(int c) throws SQLException {
    return Values.longOf(cell(c), name(c));
  }

  @Override
  public float getFloat(int c) throws SQLException {
    return (float) Values.doubleOf(cell(c), name(c));
  }

  @Override
  public double getDouble(int c) throws SQLException {
    return Values.doubleOf(cell(c), name(c));
  }

  @Override
  public BigDecimal getBigDecimal(int c) throws SQLException {
    return Values.decimalOf(cell(c), name(c));
  }

  @Override
  @SuppressWarnings("deprecation")
  public BigDecimal getBigDecimal(int c, int scale) throws SQLException {
    BigDecimal d = getBigDecimal(c);
    return d == null ? null : d.setScale(scale, java.math.RoundingMode.HALF_EVEN);
  }

  @Override
  public byte[] getBytes(int c) throws SQLException {
    return Values.bytes(cell(c));
  }

  @Override
  public Timestamp getTimestamp(int c) throws SQLException {
    return Values.timestamp(cell(c), name(c));
  }

  @Override
  public Date getDate(int c) throws SQLException {
    Timestamp t = getTimestamp(c);
    return t == null ? null : Date.valueOf(t.toLocalDateTime().toLocalDate());
  }

  @Override
  public Time getTime(int c) throws SQLException {
    SqlValue v = cell(c);
    if (v instanceof SqlValue.Text t && t.value().strip().length() <= 12 && t.value().contains(":")) {
      return Time.valueOf(LocalTime.parse(t.value().strip()));
    }
    Timestamp ts = Values.timestamp(v, name(c));
    return ts == null ? null : Time.valueOf(ts.toLocalDateTime().toLocalTime());
  }

  @Override
  public InputStream getBinaryStream(int c) throws SQLException {
    byte[] b = getBytes(c);
    return b == null ? null : new ByteArrayInputStream(b);
  }

  @Override
  public Reader getCharacterStream(int c) throws SQLException {
    String s = getString(c);
    return s == null ? null : new StringReader(s);
  }

  @Override
  public <T> T getObject(int c, Class<T> type) throws SQLException {
    SqlValue v = cell(c);
    if (v instanceof SqlValue.Null) {
      return null;
    }
    Object o;
    if (type == String.class) {
      o = getString(c);
    } else if (type == Long.class) {
      o = getLong(c);
    } else if (type == Integer.class) {
      o = getInt(c);
    } else if (type == Short.class) {
      o = getShort(c);
    } else if (type == Byte.class) {
      o = getByte(c);
    } else if (type == Double.class) {
      o = getDouble(c);
    } else if (type == Float.class) {
      o = getFloat(c);
    } else if (type == Boolean.class) {
      o = getBoolean(c);
    } else if (type == BigDecimal.class) {
      o = getBigDecimal(c);
    } else if (type == byte[].class) {
      o = getBytes(c);
    } else if (type == Timestamp.class) {
      o = getTimestamp(c);
    } else if (type == Date.class) {
      o = getDate(c);
    } else if (type == Time.class) {
      o = getTime(c);
    } else if (type == LocalDateTime.class) {
      o = getTimestamp(c).toLocalDateTime();
    } else if (type == LocalDate.class) {
      o = getTimestamp(c).toLocalDateTime().toLocalDate();
    } else if (type == LocalTime.class) {
      o = getTime(c).toLocalTime();
    } else if (type == Instant.class) {
      o = getTimestamp(c).toInstant();
    } else if (type == OffsetDateTime.class) {
      o = OffsetDateTime.parse(getString(c).strip().replace(' ', 'T'));
    } else if (type == UUID.class) {
      o = UUID.fromString(getString(c));
    } else if (type == Object.class) {
      o = Values.object(v);
    } else {
      throw unsupported("ResultSet.getObject as " + type.getName());
    }
    return type.cast(o);
  }

  @Override
  public Object getObject(int c, Map<String, Class<?>> map) throws SQLException {
    return getObject(c);
  }

  // ------------------------------------------------------------------ by label

  @Override
  public Object getObject(String l) throws SQLException {
    return getObject(findColumn(l));
  }

  @Override
  public String getString(String l) throws SQLException {
    return getString(findColumn(l));
  }

  @Override
  public boolean getBoolean(String l) throws SQLException {
    return getBoolean(findColumn(l));
  }

  @Override
  public byte getByte(String l) throws SQLException {
    return getByte(findColumn(l));
  }

  @Override
  public short getShort(String l) throws SQLException {
    return getShort(findColumn(l));
  }

  @Override
  public int getInt(String l) throws SQLException {
    return getInt(findColumn(l));
  }

  @Override
  public long getLong(String l) throws SQLException {
    return getLong(findColumn(l));
  }

  @Override
  public float getFloat(String l) throws SQLException {
    return getFloat(findColumn(l));
  }

  @Override
  public double getDouble(String l) throws SQLException {
    return getDouble(findColumn(l));
  }

  @Override
  public BigDecimal getBigDecimal(String l) throws SQLException {
    return getBigDecimal(findColumn(l));
  }

  @Override
  public byte[] getBytes(String l) throws SQLException {
    return getBytes(findColumn(l));
  }

  @Override
  public Timestamp getTimestamp(String l) throws SQLException {
    return getTimestamp(findColumn(l));
  }

  @Override
  public Date getDate(String l) throws SQLException {
    return getDate(findColumn(l));
  }

  @Override
  public Time getTime(String l) throws SQLException {
    return getTime(findColumn(l));
  }

  @Override
  public InputStream getBinaryStream(String l) throws SQLException {
    return getBinaryStream(findColumn(l));
  }

  @Override
  public Reader getCharacterStream(String l) throws SQLException {
    return getCharacterStream(findColumn(l));
  }

  @Override
  public <T> T getObject(String l, Class<T> type) throws SQLException {
    return getObject(findColumn(l), type);
  }

  private void checkOpen() throws SQLException {
    if (closed) {
      throw SqlStates.closed("the result set");
    }
  }
}
