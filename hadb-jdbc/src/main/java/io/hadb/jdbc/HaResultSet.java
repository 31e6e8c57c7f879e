package io.hadb.jdbc;

import io.hadb.api.HadbException;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.RowCursor;
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
 * A forward-only, read-only result set over the engine's {@link RowCursor}. On the leader the
 * rows stream from the engine's statement (each getter one call into the engine, nothing copied),
 * and the read connection they come from goes back when the result set is closed, passes its last
 * row, or its statement or connection closes; elsewhere (a follower, a transaction) they were
 * read whole and nothing is held.
 *
 * <p>Getters by type ({@code getLong}, {@code getDouble}, {@code getString} and the narrower ones)
 * read through the cursor's typed getters, so converting between storage classes (TEXT read as a
 * number, a REAL as text) follows the engine on a streamed read (SQLite's conversions, as
 * sqlite-jdbc gives them) and hadb's on rows read whole (a TEXT that is no number fails 22018).
 */
final class HaResultSet extends UnsupportedResultSet {
  /** Told when a result set closes, so its connection stops tracking it. */
  interface OnClose {
    void closed(HaResultSet rs);
  }

  private final Statement statement;
  private final RowCursor cursor;
  private final List<String> columns;
  private final int maxRows;
  private final OnClose onClose;
  private Map<String, Integer> byLabel; // built at the first look-up by label
  private int row; // rows passed so far; the current one's number while onRow
  private boolean onRow;
  private boolean pastLast;
  private boolean peeked; // the cursor is on the first row while this is still before it
  private boolean peekedRow; // what that read-ahead answered
  private int lastColumn = -1; // of the last getter, for wasNull
  private int lastNull; // 1 null, 0 not, -1 ask the cursor (a typed getter does not know)
  private boolean closed;
  private int fetchSize;

  HaResultSet(Statement statement, RowCursor cursor, int maxRows, OnClose onClose) {
    this.statement = statement;
    this.cursor = cursor;
    this.columns = cursor.columns();
    this.maxRows = maxRows;
    this.onClose = onClose;
  }

  /** A result set over rows in memory (metadata answers, generated keys). */
  HaResultSet(Statement statement, QueryResult rows) {
    this(statement, RowCursor.of(rows), 0, null);
  }

  // ------------------------------------------------------------------ cursor

  @Override
  public boolean next() throws SQLException {
    checkOpen();
    lastColumn = -1;
    if (pastLast) {
      return false;
    }
    boolean more;
    if (peeked) {
      peeked = false;
      more = peekedRow;
    } else if (maxRows > 0 && row >= maxRows) {
      more = false;
    } else {
      more = advance();
    }
    if (more) {
      row++;
      onRow = true;
      return true;
    }
    onRow = false;
    pastLast = true;
    cursor.close(); // the read connection goes back now, not when the application closes this
    return false;
  }

  private boolean advance() throws SQLException {
    try {
      return cursor.next();
    } catch (HadbException e) {
      onRow = false;
      pastLast = true;
      throw SqlStates.of(e, false);
    }
  }

  /** Reads the first row ahead (for metadata, isBeforeFirst) without moving onto it. */
  private void peek() throws SQLException {
    if (!peeked && row == 0 && !pastLast) {
      peekedRow = advance();
      peeked = true;
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    onRow = false;
    cursor.close();
    if (onClose != null) {
      onClose.closed(this);
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public boolean wasNull() throws SQLException {
    if (lastColumn < 0 || !onRow) {
      return false;
    }
    if (lastNull < 0) {
      try {
        lastNull = cursor.isNull(lastColumn) ? 1 : 0;
      } catch (HadbException e) {
        throw SqlStates.of(e, false);
      }
    }
    return lastNull == 1;
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
    return new HaResultSetMetaData(columns, this::sample);
  }

  /** Column {@code c}'s value in the row this is on (the first, read ahead, before next()). */
  private SqlValue sample(int c) throws SQLException {
    if (closed) {
      return SqlValue.NULL;
    }
    peek();
    if (!(onRow || (peeked && peekedRow))) {
      return SqlValue.NULL;
    }
    try {
      return cursor.value(c - 1);
    } catch (HadbException e) {
      throw SqlStates.of(e, false);
    }
  }

  @Override
  public int getRow() {
    return onRow ? row : 0;
  }

  @Override
  public boolean isBeforeFirst() throws SQLException {
    checkOpen();
    peek();
    return peeked && peekedRow;
  }

  @Override
  public boolean isAfterLast() {
    return pastLast && row > 0;
  }

  @Override
  public boolean isFirst() {
    return onRow && row == 1;
  }

  /** Forward-only rows stream: whether this is the last one is known only after next(). */
  @Override
  public boolean isLast() throws SQLException {
    throw unsupported("ResultSet.isLast on a forward-only result (call next() and check what it returns)");
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
    fetchSize = rows; // a hint: a streamed result reads one row at a time anyway
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

  /** The cursor's index of column {@code column} (from 1) of the current row. */
  private int at(int column) throws SQLException {
    if (!onRow) {
      checkOpen();
      throw new SQLException("the cursor is not on a row (call next() first and check what it returns)", "24000");
    }
    if (column < 1 || column > columns.size()) {
      throw new SQLException("column index " + column + " is out of range 1.." + columns.size(), "07009");
    }
    lastColumn = column - 1;
    return column - 1;
  }

  private SqlValue cell(int column) throws SQLException {
    int i = at(column);
    try {
      SqlValue v = cursor.value(i);
      lastNull = v instanceof SqlValue.Null ? 1 : 0;
      return v;
    } catch (HadbException e) {
      throw failed(e, column);
    }
  }

  private long longAt(int column) throws SQLException {
    int i = at(column);
    try {
      lastNull = -1;
      return cursor.longValue(i);
    } catch (HadbException e) {
      throw failed(e, column);
    }
  }

  private double doubleAt(int column) throws SQLException {
    int i = at(column);
    try {
      lastNull = -1;
      return cursor.doubleValue(i);
    } catch (HadbException e) {
      throw failed(e, column);
    }
  }

  /**
   * A getter's error: a value that does not convert (the cursor answers INVALID_ARGUMENT for
   * it, the cell being there) is 22018; anything else is the engine's error of the read.
   */
  private SQLException failed(HadbException e, int column) {
    if (e.code() == io.hadb.api.ErrorCode.INVALID_ARGUMENT) {
      return new SQLException(e.getMessage() + " (column " + name(column) + ")", "22018", e);
    }
    return SqlStates.of(e, false);
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
    int i = at(c);
    try {
      String v = cursor.textValue(i);
      lastNull = v == null ? 1 : 0;
      return v;
    } catch (HadbException e) {
      throw failed(e, c);
    }
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
    return (byte) longAt(c);
  }

  @Override
  public short getShort(int c) throws SQLException {
    return (short) longAt(c);
  }

  @Override
  public int getInt(int c) throws SQLException {
    return (int) longAt(c);
  }

  @Override
  public long getLong(int c) throws SQLException {
    return longAt(c);
  }

  @Override
  public float getFloat(int c) throws SQLException {
    return (float) doubleAt(c);
  }

  @Override
  public double getDouble(int c) throws SQLException {
    return doubleAt(c);
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
