package io.hadb.coordinator;

import io.hadb.api.Durability;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.Replicator;
import io.hadb.api.engine.SqlValue;
import io.hadb.api.engine.Transaction;
import io.hadb.coordinator.forward.LeaderView;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import io.hadb.coordinator.role.RoleDriver;
import java.time.Duration;
import java.util.List;

/**
 * A transaction on the leader's own file (DESIGN §12): the engine's {@link Transaction}, holding
 * the write lock, bound to the epoch this node led when it began. Every statement and the commit
 * first check that this node still leads that epoch and that the transaction is within its
 * lifetime; if not, it is rolled back and the call fails {@code NOT_LEADER} or {@code TIMEOUT}
 * with nothing applied (the caller retries the whole transaction). In SYNC a commit returns once
 * durable; one that cannot be confirmed is {@code UNKNOWN_OUTCOME}, as for any local write. A
 * commit passes the view's {@link io.hadb.coordinator.forward.CommitGate}: a graceful hand-off
 * waits for a commit past its check, and turns away (nothing applied) one that comes later.
 */
final class LeaderTransaction implements Transaction {
  private final Transaction local;
  private final long epoch;
  private final long deadlineNanos;
  private final Duration lifetime;
  private final LeaderView view;
  private final RoleDriver driver;
  private final Replicator replicator;
  private final Durability durability;
  private final CoordinatorMetrics metrics;

  private LeaderTransaction(Transaction local, long epoch, Duration lifetime, LeaderView view, RoleDriver driver,
      Replicator replicator, Durability durability, CoordinatorMetrics metrics) {
    this.local = local;
    this.epoch = epoch;
    this.lifetime = lifetime;
    this.deadlineNanos = System.nanoTime() + lifetime.toNanos();
    this.view = view;
    this.driver = driver;
    this.replicator = replicator;
    this.durability = durability;
    this.metrics = metrics;
  }

  /** Begins on the local file, or returns null when this node turns out not to lead {@code epoch}. */
  static LeaderTransaction begin(io.hadb.api.engine.Executor executor, long epoch, Duration lifetime,
      LeaderView view, RoleDriver driver, Replicator replicator, Durability durability, CoordinatorMetrics metrics) {
    Transaction tx;
    try {
      view.requireLeader(epoch);
      tx = executor.begin();
    } catch (HadbException e) {
      if (e.code() == ErrorCode.NOT_LEADER || e.code() == ErrorCode.FENCED) {
        return null;
      }
      throw e;
    }
    try {
      view.requireLeader(epoch); // leadership may have moved while it waited for the write lock
    } catch (HadbException e) {
      tx.rollback();
      return null;
    }
    return new LeaderTransaction(tx, epoch, lifetime, view, driver, replicator, durability, metrics);
  }

  @Override
  public ExecResult execute(String sql, List<SqlValue> params) {
    guard();
    try {
      return local.execute(sql, params);
    } catch (HadbException e) {
      throw abortIfFenced(e);
    }
  }

  @Override
  public QueryResult query(String sql, List<SqlValue> params) {
    guard();
    return local.query(sql, params);
  }

  @Override
  public void commit() {
    if (!view.commits().enter()) {
      HadbException over = HadbException.notLeader("this node is handing leadership of epoch " + epoch + " over;"
          + " the transaction was rolled back and nothing of it applied: retry the transaction", null);
      rollbackQuietly(over);
      metrics.fencedWrite();
      throw over;
    }
    try {
      commitInside();
    } finally {
      view.commits().leave();
    }
  }

  private void commitInside() {
    long start = System.nanoTime();
    guard();
    try {
      local.commit();
    } catch (HadbException e) {
      throw abortIfFenced(e);
    }
    if (durability == Durability.SYNC) {
      try {
        replicator.sync();
      } catch (HadbException e) {
        if (e.code() == ErrorCode.FENCED) {
          metrics.fencedWrite();
          driver.publishingFailed(epoch, e);
        }
        metrics.unconfirmedWrite();
        throw HadbException.unknownOutcome("the transaction committed on this leader but is not confirmed in"
            + " storage: " + e.getMessage(), e);
      }
    }
    metrics.committed(System.nanoTime() - start);
  }

  @Override
  public void rollback() {
    local.rollback();
  }

  @Override
  public boolean isEnded() {
    return local.isEnded();
  }

  /** Ends the transaction, nothing applied, unless this node still leads its epoch within its lifetime. */
  private void guard() {
    if (local.isEnded()) {
      throw HadbException.invalidArgument("the transaction has ended");
    }
    if (System.nanoTime() - deadlineNanos > 0) {
      HadbException expired = HadbException.timeout("the transaction outlived its lifetime of " + lifetime.toMillis()
          + " ms and was rolled back; nothing of it applied: retry it (shorter)", null);
      rollbackQuietly(expired);
      throw expired;
    }
    try {
      view.requireLeader(epoch);
    } catch (HadbException e) {
      HadbException over = HadbException.notLeader("this node stopped leading epoch " + epoch + " during the"
          + " transaction; it was rolled back and nothing of it applied: retry the transaction", null);
      rollbackQuietly(over);
      metrics.fencedWrite();
      throw over;
    }
  }

  /**
   * Rolls back on the way to a definite error: nothing of the transaction committed, so a
   * failing rollback must not turn that error into another; it is kept as suppressed.
   */
  private void rollbackQuietly(HadbException definite) {
    try {
      if (!local.isEnded()) {
        local.rollback();
      }
    } catch (RuntimeException e) {
      definite.addSuppressed(e);
    }
  }

  /** A statement refused because writes are refused here now (a fence): the transaction is over. */
  private HadbException abortIfFenced(HadbException e) {
    if (e.code() == ErrorCode.FENCED || e.code() == ErrorCode.NOT_LEADER) {
      HadbException over = HadbException.notLeader("writes were refused on this leader during the transaction ("
          + e.getMessage() + "); it was rolled back and nothing of it applied: retry the transaction", null);
      rollbackQuietly(over);
      driver.publishingFailed(epoch, e);
      return over;
    }
    return e;
  }
}
