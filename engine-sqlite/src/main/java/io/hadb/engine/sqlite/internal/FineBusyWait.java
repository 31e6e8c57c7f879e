package io.hadb.engine.sqlite.internal;

import java.util.concurrent.locks.LockSupport;
import org.sqlite.BusyHandler;

/**
 * How a connection waits for a lock another connection holds, in place of SQLite's own
 * {@code busy_timeout}.
 *
 * <p>SQLite's handler sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms between tries, and
 * a follower meets the busy case on every apply: the applier's {@code BEGIN EXCLUSIVE} waits for
 * running readers, and readers arriving meanwhile wait for the apply. After a few tries each side
 * slept 10 to 100 ms for a lock held a fraction of a millisecond, and that showed as replication
 * lag in the tens of milliseconds (p99 70–120 ms on a busy machine). Here a waiter first yields,
 * then sleeps in steps of 50 µs growing to 1 ms, and gives up after the same timeout, so
 * {@code SQLITE_BUSY} still ends in {@code TIMEOUT}. One instance per connection (a connection is
 * used by one thread at a time).
 */
final class FineBusyWait extends BusyHandler {
  private static final long MAX_PAUSE_NANOS = 1_000_000;
  private static final long PAUSE_STEP_NANOS = 50_000;

  private final long timeoutNanos;
  private long episodeStart;

  FineBusyWait(int timeoutMs) {
    this.timeoutNanos = timeoutMs * 1_000_000L;
  }

  /** Returns nonzero to try again, 0 to give up (the statement then fails with SQLITE_BUSY). */
  @Override
  protected int callback(int tries) {
    long now = System.nanoTime();
    if (tries == 0) {
      episodeStart = now; // SQLite counts tries from 0 for each wait
    }
    if (now - episodeStart >= timeoutNanos) {
      return 0;
    }
    if (tries < 4) {
      Thread.yield();
    } else {
      LockSupport.parkNanos(Math.min(MAX_PAUSE_NANOS, PAUSE_STEP_NANOS * (tries - 3)));
    }
    return 1;
  }
}
