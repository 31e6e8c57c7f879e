package io.hadb.engine.sqlite;

import io.hadb.api.HadbException;
import io.hadb.api.engine.RowCursor;
import io.hadb.api.engine.SqlValue;
import io.hadb.engine.sqlite.internal.ReadPool;
import io.hadb.engine.sqlite.internal.Rows;
import io.hadb.engine.sqlite.internal.SqlErrors;
import io.hadb.engine.sqlite.internal.StatementCache;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A query streamed from a cached statement on a read connection lent by the pool
 * ({@link SqliteExecutor#cursor}): each getter is one call into SQLite, as with sqlite-jdbc
 * itself, and nothing is copied. The connection, and the read snapshot its statement holds, go
 * back to the pool when the cursor is closed, passes its last row or fails. Conversions between
 * storage classes are SQLite's ({@code sqlite3_column_int64} and friends): TEXT read as a number
 * gives its leading number or 0, a REAL read as text SQLite's rendering ({@code 1.0e+20}).
 */
final class SqliteCursor implements RowCursor {
  private final ReadPool pool;
  private final StatementCache connection;
  private final String sql;
  private final PreparedStatement statement;
  private final ResultSet rows;
  private final List<String> columns;
  private boolean onRow;
  private boolean pastLast;
  private boolean closed;

  SqliteCursor(ReadPool pool, StatementCache connection, String sql, PreparedStatement statement, ResultSet rows)
      throws SQLException {
    this.pool = pool;
    this.connection = connection;
    this.sql = sql;
    this.statement = statement;
    this.rows = rows;
    this.columns = Rows.columnNames(rows);
  }

  @Override
  public List<String> columns() {
    return columns;
  }

  @Override
  public boolean next() {
    if (pastLast) {
      return false;
    }
    checkOpen();
    try {
      if (rows.next()) {
        onRow = true;
        return true;
      }
    } catch (SQLException e) {
      throw failed(e);
    }
    onRow = false;
    pastLast = true;
    release(true);
    return false;
  }

  @Override
  public SqlValue value(int column) {
    int at = cell(column);
    try {
      return Rows.cell(rows, at);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public long longValue(int column) {
    int at = cell(column);
    try {
      return rows.getLong(at);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public double doubleValue(int column) {
    int at = cell(column);
    try {
      return rows.getDouble(at);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public String textValue(int column) {
    int at = cell(column);
    try {
      return rows.getString(at);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public boolean isNull(int column) {
    int at = cell(column);
    try {
      return Rows.isNull(statement, rows, at);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (!closed) {
      release(true);
    }
  }

  /** sqlite-jdbc's column number of {@code column}, which must be a cell of the current row. */
  private int cell(int column) {
    if (!onRow) {
      checkOpen();
      throw HadbException.invalidArgument(pastLast ? "the cursor is past its last row"
          : "the cursor is before its first row: call next() first");
    }
    if (column < 0 || column >= columns.size()) {
      throw HadbException.invalidArgument("column " + column + " is out of range 0.." + (columns.size() - 1));
    }
    return column + 1;
  }

  /**
   * The error for a failed call, the cursor closed. A statement that failed is dropped from the
   * cache; the connection stays (an SQL error leaves it usable) unless the pool closed it under
   * this cursor, which happens when this node stops leading.
   */
  private HadbException failed(SQLException e) {
    boolean revoked = connection.revoked();
    if (!closed) {
      connection.evict(sql);
      release(true);
    }
    if (revoked) {
      return HadbException.unavailable("the read was cut off: this node stopped leading while the rows"
          + " were being read; run the query again", e);
    }
    return SqlErrors.of(e, sql);
  }

  /** Resets the statement (closing the result set) and gives the connection back. Once. */
  private void release(boolean healthy) {
    closed = true;
    onRow = false;
    try {
      rows.close(); // resets the cached statement: it holds no snapshot while it waits in the cache
    } catch (SQLException e) {
      healthy = false;
    }
    pool.giveBackFromCursor(connection, healthy);
  }

  private void checkOpen() {
    if (closed && !pastLast) {
      throw HadbException.closed("the cursor over \"" + io.hadb.engine.sqlite.internal.SqlText.abbreviate(sql, 80) + "\"");
    }
  }
}
