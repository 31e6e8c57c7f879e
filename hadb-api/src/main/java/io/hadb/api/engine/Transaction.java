package io.hadb.api.engine;

import java.util.List;

/**
 * An interactive transaction on the leader's write connection (DESIGN §12), from
 * {@link Executor#begin()}: it holds the executor's write lock from {@code begin} until
 * {@link #commit} or {@link #rollback}, so no other write comes between its statements and a
 * read-modify-write inside it is correct. Every other writer waits meanwhile: keep it short.
 *
 * <p>The write lock belongs to the thread that began the transaction: every call must come from
 * that thread (a call from another fails with {@code INVALID_ARGUMENT} and changes nothing).
 * Statements run in order; a failing statement ({@code SQL_ERROR}) undoes only itself and leaves
 * the transaction open, as in the engine itself. Transaction control statements are refused: end
 * it with {@link #commit} or {@link #rollback}.
 */
public interface Transaction extends AutoCloseable {

  /** Runs one statement inside the transaction. */
  ExecResult execute(String sql, List<SqlValue> params);

  /** Runs a query inside the transaction: it sees the transaction's own writes. */
  QueryResult query(String sql, List<SqlValue> params);

  /**
   * Commits and releases the write lock. A commit the engine refuses rolls back and throws
   * {@code SQL_ERROR}; durability follows the engine's mode as for any other write (in SYNC the
   * caller confirms it with {@link Replicator#sync()}).
   */
  void commit();

  /** Undoes everything and releases the write lock. Idempotent; nothing after commit. */
  void rollback();

  /** Whether the transaction ended (committed or rolled back). */
  boolean isEnded();

  /** {@link #rollback()} unless already ended. */
  @Override
  default void close() {
    if (!isEnded()) {
      rollback();
    }
  }
}
