package io.hadb.engine.sqlite.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepared statements of one connection, kept by SQL text (least recently used dropped first).
 * Preparing costs about as much as running a point lookup, so without this every call would
 * pay twice. A statement is reset when its result set closes, so a cached one holds no lock or
 * read snapshot between uses. Not thread-safe: a connection is used by one thread at a time.
 */
public final class StatementCache {
  private static final int MAX = 64;

  private final Connection connection;

  /**
   * What a prepared statement takes and gives: its parameter count, and whether it returns rows
   * (SELECT, RETURNING, some pragmas). One that does not can run through the driver's plain
   * update path, which skips the result-set bookkeeping of a general execute.
   */
  public record Shape(int parameterCount, boolean returnsRows) {}

  /**
   * A cached statement with its shape, kept in one entry so a call finds both with one lookup
   * (the shape is fixed once prepared, and asking SQLite for it costs a call each time).
   */
  public static final class Prepared {
    private final PreparedStatement statement;
    private Shape shape;

    private Prepared(PreparedStatement statement) {
      this.statement = statement;
    }

    public PreparedStatement statement() {
      return statement;
    }

    public Shape shape() throws SQLException {
      if (shape == null) {
        shape = new Shape(statement.getParameterMetaData().getParameterCount(), Rows.columnCount(statement) > 0);
      }
      return shape;
    }
  }

  private final LinkedHashMap<String, Prepared> cache = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Prepared> eldest) {
      if (size() > MAX) {
        Connections.closeQuietly(eldest.getValue().statement);
        return true;
      }
      return false;
    }
  };

  private PreparedStatement lastInsertRowid; // SELECT last_insert_rowid(), asked after inserts
  private volatile boolean lentToCursor; // see ReadPool.borrowForCursor
  private volatile boolean revoked; // closed under a cursor by ReadPool.closeCursors

  public StatementCache(Connection connection) {
    this.connection = connection;
  }

  public Connection connection() {
    return connection;
  }

  /** The cached statement for {@code sql} (old bindings still set), or a newly prepared one. */
  public Prepared prepare(String sql) throws SQLException {
    Prepared p = cache.get(sql);
    if (p != null) {
      return p; // no clearParameters: callers bind every parameter (the count is checked)
    }
    p = new Prepared(connection.prepareStatement(sql));
    cache.put(sql, p);
    return p;
  }

  /** {@code SELECT last_insert_rowid()} on this connection, kept apart from the LRU entries. */
  public PreparedStatement lastInsertRowidStatement() throws SQLException {
    if (lastInsertRowid == null) {
      lastInsertRowid = connection.prepareStatement("SELECT last_insert_rowid()");
    }
    return lastInsertRowid;
  }

  void lentToCursor(boolean lent) {
    lentToCursor = lent;
  }

  boolean isLentToCursor() {
    return lentToCursor;
  }

  void revoke() {
    revoked = true;
  }

  /** Whether {@link ReadPool#closeCursors} closed this connection under its cursor. */
  public boolean revoked() {
    return revoked;
  }

  /** Drops a statement that failed, so a broken one is never reused. */
  public void evict(String sql) {
    Prepared p = cache.remove(sql);
    if (p != null) {
      Connections.closeQuietly(p.statement);
    }
  }

  /** Closes every cached statement (before the connection closes or changes journal mode). */
  public void clear() {
    cache.values().forEach(p -> Connections.closeQuietly(p.statement));
    Connections.closeQuietly(lastInsertRowid);
    lastInsertRowid = null;
    cache.clear();
  }
}
