package io.hadb.engine.sqlite;

import io.hadb.api.HadbException;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlValue;
import io.hadb.api.engine.Transaction;
import io.hadb.chain.WriteListener;
import io.hadb.engine.sqlite.internal.SqlErrors;
import io.hadb.engine.sqlite.internal.StatementCache;
import java.sql.SQLException;
import java.util.List;

/**
 * An open {@code BEGIN IMMEDIATE} on the executor's writer, holding its write lock until it ends.
 * The write listener counts the end under the lock, exactly as for a batch (after a rollback the
 * publisher finds nothing new). Only a commit that succeeded waits for durability in SYNC: a
 * rollback applied nothing, so it must not wait, nor fail {@code UNKNOWN_OUTCOME} when publishing
 * stops meanwhile (a leader handing over while the transaction ends).
 */
final class SqliteTransaction implements Transaction {
  private final SqliteExecutor executor;
  private final StatementCache writer;
  private final WriteListener listener;
  private boolean ended;

  SqliteTransaction(SqliteExecutor executor, StatementCache writer, WriteListener listener) {
    this.executor = executor;
    this.writer = writer;
    this.listener = listener;
  }

  @Override
  public ExecResult execute(String sql, List<SqlValue> params) {
    checkUsable();
    return executor.runInTransaction(writer, sql, params);
  }

  @Override
  public QueryResult query(String sql, List<SqlValue> params) {
    checkUsable();
    return executor.queryInTransaction(writer, sql, params);
  }

  @Override
  public void commit() {
    checkUsable();
    SQLException failed = null;
    try {
      writer.connection().setAutoCommit(true); // commits
    } catch (SQLException e) {
      failed = e;
    }
    end(failed == null);
    if (failed != null) {
      throw SqlErrors.of(failed, "COMMIT");
    }
  }

  @Override
  public void rollback() {
    if (ended) {
      return;
    }
    checkUsable();
    end(false);
  }

  @Override
  public boolean isEnded() {
    return ended;
  }

  /**
   * Leaves the transaction (rolling back whatever did not commit) and releases the lock; then,
   * when it {@code committed}, waits as the listener says (SYNC: until durable).
   */
  private void end(boolean committed) {
    ended = true;
    long token;
    try {
      SqliteExecutor.endTransaction(writer.connection());
    } finally {
      token = listener.afterWrite();
      executor.writeLock().unlock();
    }
    if (committed) {
      listener.afterUnlock(token);
    }
  }

  private void checkUsable() {
    if (ended) {
      throw HadbException.invalidArgument("the transaction has ended");
    }
    if (!executor.writeLock().isHeldByCurrentThread()) {
      throw HadbException.invalidArgument("a transaction must be used on the thread that began it (it holds the"
          + " write lock, which belongs to that thread)");
    }
  }
}
