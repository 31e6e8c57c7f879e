package io.hadb.engine.duckdb.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** A DuckDB connection and its prepared statements by SQL text, used by one thread at a time. */
public final class Conn {
  private static final System.Logger LOG = System.getLogger(Conn.class.getName());
  private static final int CACHE_MAX = 64;

  private final Connection connection;
  private final Map<String, PreparedStatement> cache = new HashMap<>();

  Conn(Connection connection) {
    this.connection = connection;
  }

  public Connection connection() {
    return connection;
  }

  /** The prepared statement for {@code sql}, prepared once. */
  public PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement ps = cache.get(sql);
    if (ps == null) {
      if (cache.size() >= CACHE_MAX) {
        closeStatements(); // crude bound: applications run a small set of distinct statements
      }
      ps = connection.prepareStatement(sql);
      cache.put(sql, ps);
    }
    return ps;
  }

  /** Drops {@code sql}'s statement (it failed; DuckDB may have left it unusable). */
  public void forget(String sql) {
    PreparedStatement ps = cache.remove(sql);
    if (ps != null) {
      try {
        ps.close();
      } catch (SQLException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing a failed statement: " + e.getMessage());
      }
    }
  }

  private void closeStatements() {
    for (PreparedStatement ps : cache.values()) {
      try {
        ps.close();
      } catch (SQLException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing a cached statement: " + e.getMessage());
      }
    }
    cache.clear();
  }

  public void close() {
    closeStatements();
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing a DuckDB connection: " + e.getMessage());
    }
  }
}
