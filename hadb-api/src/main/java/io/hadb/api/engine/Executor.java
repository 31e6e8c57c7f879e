package io.hadb.api.engine;

import java.util.List;

/**
 * Runs SQL on the local database file (DESIGN §3.3). The leader's executor owns the only write
 * connection; reads may run on a pool of read-only connections. SQL errors throw
 * {@link io.hadb.api.HadbException} with {@link io.hadb.api.ErrorCode#SQL_ERROR}.
 */
public interface Executor extends AutoCloseable {

  ExecResult execute(String sql, List<SqlValue> params);

  QueryResult query(String sql, List<SqlValue> params);

  /**
   * A query whose rows the caller reads one at a time. An engine may stream them from its
   * statement, holding a read connection and its snapshot until the cursor is closed or passes
   * its last row; it decides when it streams (SQLite: on the leader, while a read connection is
   * free for other readers) and answers the rows read whole otherwise. The default reads them
   * whole with {@link #query}. Errors of the statement itself come from this call or from
   * {@link RowCursor#next()}.
   */
  default RowCursor cursor(String sql, List<SqlValue> params) {
    return RowCursor.of(query(sql, params));
  }

  /** Runs every statement in one transaction: all take effect or none. */
  List<ExecResult> executeBatch(List<SqlStatement> statements);

  /**
   * Begins an interactive {@link Transaction} on the write connection, waiting for the write lock
   * (other writers wait for it until it ends). Fails {@code NOT_LEADER} when this node may not
   * write; an engine without interactive transactions fails {@code UNSUPPORTED}.
   */
  default Transaction begin() {
    throw io.hadb.api.HadbException.unsupported(getClass().getSimpleName()
        + " has no interactive transactions; use executeBatch for an atomic group of statements");
  }

  /** Whether {@code sql} may change the database (and so must run on the leader). */
  boolean isMutation(String sql);

  @Override
  void close();
}
