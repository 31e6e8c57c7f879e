package io.hadb.coordinator.forward;

import io.hadb.api.HadbException;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.ReadConsistency;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A follower's execute and query with the read consistency levels of DESIGN §6.4: writes are
 * forwarded to the leader; reads run on the local copy ({@code LOCAL}), on the local copy once it
 * has applied this session's last write ({@code READ_YOUR_WRITES}), or on the leader ({@code
 * LEADER}).
 *
 * <p>"This session" is this object: share one per user session that must see its own writes.
 * Thread-safe.
 */
public final class FollowerSession {
  private static final long FIRST_POLL_NANOS = 500_000;
  private static final long MAX_POLL_NANOS = 20_000_000;

  private final Executor local;
  private final ForwardingClient leader;
  private final AppliedSeqSource applied;
  private final Duration maxWait;
  private final AtomicLong lastWriteSeq = new AtomicLong();
  private volatile boolean lastWriteSeqUnknown;

  /**
   * @param maxWait how long a READ_YOUR_WRITES read waits for the local copy before failing with
   *     TIMEOUT
   */
  public FollowerSession(Executor local, ForwardingClient leader, AppliedSeqSource applied, Duration maxWait) {
    this.local = HadbException.requireArg(local, "local");
    this.leader = HadbException.requireArg(leader, "leader");
    this.applied = HadbException.requireArg(applied, "applied");
    this.maxWait = HadbException.requireArg(maxWait, "maxWait");
    if (maxWait.isNegative()) {
      throw HadbException.invalidArgument("maxWait must not be negative, was " + maxWait);
    }
  }

  public ForwardedWrite execute(String sql, List<SqlValue> params) {
    return remember(leader.execute(sql, params));
  }

  public ForwardedWrite executeBatch(List<SqlStatement> statements) {
    return remember(leader.executeBatch(statements));
  }

  public ForwardedWrite executeBatch(String requestId, List<SqlStatement> statements) {
    return remember(leader.executeBatch(requestId, statements));
  }

  public QueryResult query(String sql, List<SqlValue> params, ReadConsistency consistency) {
    HadbException.requireArg(consistency, "consistency");
    switch (consistency) {
      case LEADER:
        return leader.query(sql, params);
      case READ_YOUR_WRITES:
        if (lastWriteSeqUnknown) {
          // The leader gave no seq for a write of ours: only the leader surely has it.
          return leader.query(sql, params);
        }
        awaitApplied(lastWriteSeq.get());
        return local.query(sql, params);
      default:
        return local.query(sql, params);
    }
  }

  /**
   * A transaction run on the leader (DESIGN §12); its commit counts as this session's write for
   * READ_YOUR_WRITES.
   */
  public RemoteTransaction begin(Duration lifetime) {
    return leader.begin(lifetime, seq -> remember(new ForwardedWrite(List.of(), seq, false)));
  }

  /** The seq the next READ_YOUR_WRITES read waits for (0: none). */
  public long lastWriteSeq() {
    return lastWriteSeq.get();
  }

  private ForwardedWrite remember(ForwardedWrite w) {
    if (w.seq() > 0) {
      lastWriteSeq.accumulateAndGet(w.seq(), Math::max);
    } else {
      lastWriteSeqUnknown = true;
    }
    return w;
  }

  private void awaitApplied(long seq) {
    if (seq <= 0 || applied.appliedSeq() >= seq) {
      return;
    }
    long start = System.nanoTime();
    long pause = FIRST_POLL_NANOS;
    while (applied.appliedSeq() < seq) {
      long left = maxWait.toNanos() - (System.nanoTime() - start);
      if (left <= 0) {
        throw HadbException.timeout("the local copy applied seq " + applied.appliedSeq() + " after "
            + maxWait.toMillis() + " ms, this session's last write is at seq " + seq
            + "; read with LEADER, or wait longer", null);
      }
      long nap = Math.min(pause, left);
      try {
        Thread.sleep(nap / 1_000_000, (int) (nap % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw HadbException.timeout("interrupted while waiting for seq " + seq, e);
      }
      pause = Math.min(pause * 2, MAX_POLL_NANOS);
    }
  }
}
