package io.hadb.engine.sqlite.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Closes something (a connection) once it went unused for a while, by a look that a host's timer
 * runs; the owner opens it again on the next use. A look is scheduled only while the thing may be
 * open, so an idle database costs the timer nothing. The close must not block: {@code tryClose}
 * returns false when the thing is in use right now (it is looked at again an idle time later).
 */
public final class IdleClose {
  private final ScheduledExecutorService timer;
  private final long idleNanos;
  private final BooleanSupplier tryClose;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile long lastUse;

  public IdleClose(ScheduledExecutorService timer, long idleNanos, BooleanSupplier tryClose) {
    this.timer = timer;
    this.idleNanos = idleNanos;
    this.tryClose = tryClose;
  }

  /** The thing was used (and is open): close it an idle time from now unless used again. */
  public void used() {
    lastUse = System.nanoTime();
    schedule(idleNanos);
  }

  private void schedule(long delayNanos) {
    if (scheduled.compareAndSet(false, true)) {
      try {
        timer.schedule(this::look, delayNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        scheduled.set(false); // the host's timer stopped: it stays open until its owner closes
      }
    }
  }

  private void look() {
    long seen = lastUse;
    long quiet = System.nanoTime() - seen;
    if (quiet < idleNanos) {
      reschedule(idleNanos - quiet);
      return;
    }
    if (!tryClose.getAsBoolean()) {
      reschedule(idleNanos);
      return;
    }
    scheduled.set(false);
    if (lastUse != seen) {
      schedule(idleNanos); // used during the look: look again
    }
  }

  private void reschedule(long delayNanos) {
    try {
      timer.schedule(this::look, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      scheduled.set(false);
    }
  }
}
