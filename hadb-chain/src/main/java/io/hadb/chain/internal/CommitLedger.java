package io.hadb.chain.internal;

import io.hadb.api.HadbException;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Which commits the chain has, what the shipper thread is asked to do next, and whether the
 * publisher still runs: the one monitor that writers (counting, and in SYNC waiting), callers of
 * {@code sync()} and the shipper share.
 *
 * <p>A commit is counted by a token, the number of write calls so far; every commit of the
 * write calls up to {@code shipped} is durable. Lifecycle: {@link State#RUNNING} until
 * {@link #stop} ({@link State#STOPPED}) or the first {@link #fail} ({@link State#FAILED},
 * which a later stop keeps).
 */
final class CommitLedger {
  enum State { RUNNING, STOPPED, FAILED }

  /** What the shipper does next, from {@link #awaitWork}. */
  record Work(long upTo) {
    static final Work STOP = new Work(-1);
  }

  private State state = State.RUNNING;
  private HadbException failure; // set with FAILED
  private long writes;
  private long shipped;
  private long inFlight; // commits read by the capture, not yet durable
  private long leftover = -1; // after the stop: commits left out of the chain
  private int waiters; // threads waiting for durability
  private boolean ticked; // woken without a write: look at the interval trigger
  private CompletableFuture<SnapshotPoint> snapshotRequest;
  private long lastShipStartNanos = System.nanoTime() - 86_400_000_000_000L;

  /**
   * {@code ships}: commits reach the chain (not SNAPSHOT_ONLY). The count then starts at 1, so
   * the first pass reads whatever a crashed run left in the engine's log.
   */
  CommitLedger(boolean ships) {
    this.writes = ships ? 1 : 0;
  }

  /** A write call; returns its token. */
  synchronized long recordWrite() {
    writes++;
    notifyAll();
    return writes;
  }

  synchronized long writes() {
    return writes;
  }

  synchronized boolean running() {
    return state == State.RUNNING;
  }

  synchronized HadbException failure() {
    return failure;
  }

  /**
   * Commits not in the chain: while running, write calls not yet shipped (an upper bound); after
   * the stop, the exact count the stop found.
   */
  synchronized long unshipped() {
    return leftover >= 0 ? leftover : writes - shipped;
  }

  synchronized void inFlight(long commits) {
    inFlight = commits;
  }

  synchronized void markShipped(long upTo) {
    shipped = Math.max(shipped, upTo);
    notifyAll();
  }

  /**
   * Blocks until every commit up to {@code token} is in storage; returns {@code lastSeq}'s value
   * then. A commit is in the local file already when this waits for it: whatever stops publishing
   * now, the caller must not read it as "not applied" (DESIGN §6.4's error contract), so the code
   * is UNKNOWN_OUTCOME and the cause says what happened.
   */
  synchronized long awaitDurable(long token, LongSupplier lastSeq) {
    waiters++;
    notifyAll(); // a shipper holding back for the ship interval goes at once for a waiter
    try {
      while (shipped < token) {
        if (state == State.FAILED) {
          throw HadbException.unknownOutcome("committed locally, but not confirmed in storage: "
              + failure.getMessage(), failure);
        }
        if (state == State.STOPPED) {
          throw HadbException.unknownOutcome("committed locally, but publishing stopped before the commit"
              + " was confirmed in storage", HadbException.notLeader("publishing stopped", null));
        }
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw HadbException.unavailable("interrupted while waiting for the commit to be durable", e);
        }
      }
      return lastSeq.getAsLong();
    } finally {
      waiters--;
    }
  }

  /**
   * Shipper thread: waits until there is something to do (commits to ship, a snapshot point
   * asked for, a tick), then, in ASYNC mode while nobody waits for durability and no snapshot is
   * asked for, holds the commits back until {@code intervalNanos} passed since the last upload
   * started (more commits join the ship meanwhile). Returns the token to ship up to, or
   * {@link Work#STOP}.
   */
  synchronized Work awaitWork(boolean async, long intervalNanos) {
    while (true) {
      while (writes == shipped && snapshotRequest == null && !ticked && state == State.RUNNING) {
        try {
          wait();
        } catch (InterruptedException e) {
          return Work.STOP;
        }
      }
      if (state != State.RUNNING) {
        return Work.STOP;
      }
      long hold = async && waiters == 0 && snapshotRequest == null && writes != shipped
          ? lastShipStartNanos + intervalNanos - System.nanoTime() : 0;
      if (hold <= 0) {
        break;
      }
      try {
        wait(Math.max(1, hold / 1_000_000));
      } catch (InterruptedException e) {
        return Work.STOP;
      }
    }
    ticked = false;
    if (writes != shipped) {
      lastShipStartNanos = System.nanoTime();
    }
    return new Work(writes);
  }

  /** Wakes the shipper without a write, so time-based snapshots fire on an idle database. */
  synchronized void tick() {
    ticked = true;
    notifyAll();
  }

  /** Asks the shipper for a snapshot point (one request at a time is shared). */
  synchronized CompletableFuture<SnapshotPoint> requestSnapshot() {
    if (snapshotRequest == null) {
      snapshotRequest = new CompletableFuture<>();
      notifyAll();
    }
    return snapshotRequest;
  }

  synchronized CompletableFuture<SnapshotPoint> snapshotRequest() {
    return snapshotRequest;
  }

  synchronized void clearSnapshotRequest() {
    snapshotRequest = null;
  }

  /**
   * The first failure stops publishing: {@code first} runs (only for the first), then waiters
   * wake to it. Both under this monitor, so a writer released by the failure already finds
   * whatever {@code first} did (writes refused).
   */
  synchronized void fail(HadbException e, Runnable first) {
    if (failure != null) {
      return;
    }
    failure = e;
    state = State.FAILED;
    first.run();
    notifyAll();
  }

  /** Stops publishing: waiters are released, a pending snapshot point fails with {@code why}. */
  synchronized void stop(HadbException why) {
    if (state == State.RUNNING) {
      state = State.STOPPED;
    }
    if (snapshotRequest != null) {
      snapshotRequest.completeExceptionally(why);
      snapshotRequest = null;
    }
    notifyAll();
  }

  /** After the stop: {@code unread} commits the capture still held, plus those in flight. */
  synchronized void leftover(long unread) {
    leftover = inFlight + unread;
  }
}
