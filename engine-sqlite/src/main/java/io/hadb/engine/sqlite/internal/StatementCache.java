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
  /** Shapes by statement (fixed once prepared): asking SQLite costs a call each time. */
  private final java.util.IdentityHashMap<PreparedStatement, Shape> shapes = new java.util.IdentityHashMap<>();

  /**
   * What a prepared statement takes and gives: its parameter count, and whether it returns rows
   * (SELECT, RETURNING, some pragmas). One that does not can run through the driver's plain
   * update path, which skips the result-set bookkeeping of a general execute.
   */
  public record Shape(int parameterCount, boolean returnsRows) {}
  private final LinkedHashMap<String, PreparedStatement> cache = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
      if (size() > MAX) {
        shapes.remove(eldest.getValue());
        Connections.closeQuietly(eldest.getValue());
        return true;
      }
      return false;
    }
  };

  private PreparedStatement lastInsertRowid; // SELECT last_insert_rowid(), asked after inserts

  public StatementCache(Connection connection) {
    this.connection = connection;
  }

  public Connection connection() {
    return connection;
  }

  /** The cached statement for {@code sql} (old bindings still set), or a newly prepared one. */
  public PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement ps = cache.get(sql);
    if (ps != null) {
      return ps; // no clearParameters: callers bind every parameter (the count is checked)
    }
    ps = connection.prepareStatement(sql);
    cache.put(sql, ps);
    return ps;
  }

  /** {@code SELECT last_insert_rowid()} on this connection, kept apart from the LRU entries. */
  public PreparedStatement lastInsertRowidStatement() throws SQLException {
    if (lastInsertRowid == null) {
      lastInsertRowid = connection.prepareStatement("SELECT last_insert_rowid()");
    }
    return lastInsertRowid;
  }

  /** The shape of {@code ps} (a statement from this cache). */
  public Shape shape(PreparedStatement ps) throws SQLException {
    Shape shape = shapes.get(ps);
    if (shape == null) {
      shape = new Shape(ps.getParameterMetaData().getParameterCount(), Rows.columnCount(ps) > 0);
      shapes.put(ps, shape);
    }
    return shape;
  }

  /** The number of parameters {@code ps} (from this cache) takes. */
  public int parameterCount(PreparedStatement ps) throws SQLException {
    return shape(ps).parameterCount();
  }

  /** Drops a statement that failed, so a broken one is never reused. */
  public void evict(String sql) {
    PreparedStatement ps = cache.remove(sql);
    if (ps != null) {
      shapes.remove(ps);
    }
    Connections.closeQuietly(ps);
  }

  /** Closes every cached statement (before the connection closes or changes journal mode). */
  public void clear() {
    cache.values().forEach(Connections::closeQuietly);
    Connections.closeQuietly(lastInsertRowid);
    lastInsertRowid = null;
    cache.clear();
    shapes.clear();
  }
}
