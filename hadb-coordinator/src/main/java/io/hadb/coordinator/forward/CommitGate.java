package io.hadb.coordinator.forward;

import java.time.Duration;

/**
 * Orders interactive transactions' commits against a graceful hand-off (DESIGN §12). A commit
 * enters before it checks leadership and leaves once its local commit returned (durable in
 * SYNC). The hand-off shuts the gate after it stopped accepting writes and waits, bounded, for
 * the commits inside: each of them passed its leadership check, so it is shipped and confirmed
 * before publishing stops, not left to fail {@code UNKNOWN_OUTCOME}. A commit the shut gate
 * turns away has applied nothing, so it may fail with the definite {@code NOT_LEADER}.
 */
public final class CommitGate {
  private int inside;
  private boolean shut;

  /** Enters, unless a hand-off shut the gate; every true must be matched by {@link #leave()}. */
  public synchronized boolean enter() {
    if (shut) {
      return false;
    }
    inside++;
    return true;
  }

  public synchronized void leave() {
    inside--;
    if (inside == 0) {
      notifyAll();
    }
  }

  /**
   * Turns every later commit away and waits up to {@code bound} for those inside. Returns how
   * many are still inside (0: all done).
   */
  public synchronized int shutAndAwait(Duration bound) {
    shut = true;
    long deadline = System.nanoTime() + bound.toNanos();
    try {
      for (long left = bound.toNanos(); inside > 0 && left > 0; left = deadline - System.nanoTime()) {
        wait(Math.max(1, left / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return inside;
  }
}
