package io.hadb.engine.sqlite.internal;

import io.hadb.api.HadbException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bounded pool of read-only connections for local reads. Connections are created lazily; a
 * caller beyond the bound waits for one to come back. With {@link #closeWhenIdle}, connections
 * nobody used for a while are closed and the next read opens one again, unseen by the reader.
 *
 * <p>The connection given back last waits in {@link #ready}, where the next reader takes it
 * without the pool's monitor: with one reader at a time, the common case, a read pays two atomic
 * swaps instead of two monitor entries. Anything else (more readers, waiting, closing) goes
 * through the monitor. A reader that waits counts itself in {@link #waiting} before it looks at
 * {@link #ready}, and a give-back through the slot looks at {@link #waiting} after filling it,
 * so either the reader finds the connection or the giver wakes it.
 *
 * <p>A cursor (a query whose rows the caller reads at its own pace) may hold a connection for
 * long, so cursors get at most all connections but one ({@link #borrowForCursor}): the last
 * always serves short reads, which give it back, so a reader waiting here is never stuck behind
 * cursors whose owners wait for it (a query run for each row of another, the cursors held by
 * callers that never close them).
 */
public final class ReadPool implements AutoCloseable {
  private final Path file;
  private final int max;
  private final int busyTimeoutMs;
  private final AtomicReference<StatementCache> ready = new AtomicReference<>();
  private final ArrayDeque<StatementCache> idle = new ArrayDeque<>(); // guarded by this
  private final List<StatementCache> all = new ArrayList<>(); // guarded by this; idle, ready and lent
  private volatile boolean closed; // written under this
  private volatile int waiting; // readers in the monitor's slow path; written under this
  private volatile ScheduledExecutorService idleTimer; // set by closeWhenIdle; null: connections stay open
  private volatile long idleNanos;
  private volatile long lastUse; // System.nanoTime() of the last give-back, when idle closing is on
  private final AtomicBoolean sweepScheduled = new AtomicBoolean();
  private final AtomicInteger cursors = new AtomicInteger(); // connections lent to cursors

  public ReadPool(Path file, int max, int busyTimeoutMs) {
    if (max < 1) {
      throw HadbException.invalidArgument("read pool size must be at least 1, was " + max);
    }
    this.file = file;
    this.max = max;
    this.busyTimeoutMs = busyTimeoutMs;
  }

  /**
   * A connection for the caller alone, until {@link #giveBack}. The executor borrows and gives
   * back around each read itself: a callback here cost every point lookup two captured lambdas.
   */
  public StatementCache borrow() {
    StatementCache c = ready.getAndSet(null);
    if (c != null) {
      if (!closed) {
        return c;
      }
      discard(c); // closed meanwhile
    }
    return borrowSlowly();
  }

  /**
   * A connection for a cursor, or null when cursors hold all connections but one already (the
   * caller then reads the rows whole). Give it back with {@link #giveBackFromCursor}.
   */
  public StatementCache borrowForCursor() {
    if (cursors.incrementAndGet() > max - 1) {
      cursors.decrementAndGet();
      return null;
    }
    StatementCache c;
    try {
      c = borrow();
    } catch (RuntimeException e) {
      cursors.decrementAndGet();
      throw e;
    }
    c.lentToCursor(true);
    return c;
  }

  /**
   * Returns a cursor's connection. The flag is cleared under the monitor, so
   * {@link #closeCursors} never closes a connection that is on its way back to other readers.
   */
  public void giveBackFromCursor(StatementCache c, boolean healthy) {
    synchronized (this) {
      c.lentToCursor(false);
    }
    cursors.decrementAndGet();
    giveBack(c, healthy && !c.revoked());
  }

  /** Connections held by cursors now. */
  public int openCursors() {
    return cursors.get();
  }

  /**
   * Closes the connections cursors hold (their next call fails, telling why): the leader's
   * hand-off must leave WAL mode, which a cursor's read snapshot would hold up for the busy
   * timeout. sqlite-jdbc serialises calls on a connection, so closing one another thread reads
   * is safe.
   */
  public void closeCursors() {
    synchronized (this) {
      for (StatementCache c : all) {
        if (c != null && c.isLentToCursor()) {
          c.revoke();
          Connections.closeQuietly(c.connection());
        }
      }
    }
  }

  private StatementCache borrowSlowly() {
    synchronized (this) {
      waiting++;
      try {
        while (true) {
          if (closed) {
            throw HadbException.closed("database " + file);
          }
          StatementCache c = ready.getAndSet(null);
          if (c == null) {
            c = idle.pollFirst();
          }
          if (c != null) {
            return c;
          }
          if (all.size() < max) {
            all.add(null); // reserve the slot; the connection opens outside the monitor
            break;
          }
          try {
            wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HadbException.unavailable("interrupted while waiting for a read connection", e);
          }
        }
      } finally {
        waiting--;
      }
    }
    StatementCache c = null;
    try {
      c = new StatementCache(Connections.openReader(file, busyTimeoutMs));
      return c;
    } finally {
      synchronized (this) {
        all.remove(null);
        if (c != null) {
          all.add(c);
        }
        wakeWaiting();
      }
    }
  }

  /**
   * Returns a borrowed connection: kept for the next reader when {@code healthy} (an SQL error
   * leaves it usable), closed otherwise (the read failed in an unknown way).
   */
  public void giveBack(StatementCache c, boolean healthy) {
    if (idleTimer != null) {
      lastUse = System.nanoTime();
      scheduleSweep(idleNanos);
    }
    if (healthy && !closed && ready.compareAndSet(null, c)) {
      if (waiting > 0) {
        synchronized (this) {
          notifyAll();
        }
      }
      if (closed) { // close() may have missed it in the slot
        StatementCache r = ready.getAndSet(null);
        if (r != null) {
          discard(r);
        }
      }
      return;
    }
    synchronized (this) {
      if (!closed && healthy) {
        idle.addFirst(c);
        wakeWaiting();
        return;
      }
    }
    discard(c);
  }

  /** Closes {@code c} and forgets it, so a new one may open in its place. */
  private void discard(StatementCache c) {
    synchronized (this) {
      all.remove(c);
      wakeWaiting();
    }
    closeQuietly(c);
  }

  /**
   * Only when someone waits: notifyAll on a monitor nobody waits on is still a call into the VM,
   * which cost every read a measurable share of a point lookup. The caller holds the monitor.
   */
  private void wakeWaiting() {
    if (waiting > 0) {
      notifyAll();
    }
  }

  private static void closeQuietly(StatementCache c) {
    c.clear();
    Connections.closeQuietly(c.connection());
  }

  /** Closes idle connections now and busy ones as they come back. Idempotent. */
  @Override
  public void close() {
    List<StatementCache> toClose;
    synchronized (this) {
      closed = true;
      toClose = takeIdle();
      notifyAll();
    }
    toClose.forEach(ReadPool::closeQuietly);
  }

  /** Closes idle connections (they reopen on demand), e.g. before a journal-mode switch. */
  public void closeIdle() {
    List<StatementCache> toClose;
    synchronized (this) {
      toClose = takeIdle();
    }
    toClose.forEach(ReadPool::closeQuietly);
  }

  /**
   * From now on, connections unused for {@code idleNanos} are closed by a look that {@code timer}
   * runs; the next read opens one again, as the first read did. A look is scheduled only while
   * connections are open, so an idle pool costs the timer nothing.
   */
  public void closeWhenIdle(ScheduledExecutorService timer, long idleNanos) {
    HadbException.requireArg(timer, "timer");
    if (idleNanos <= 0) {
      throw HadbException.invalidArgument("idle time must be positive, was " + idleNanos + " ns");
    }
    this.idleNanos = idleNanos;
    this.idleTimer = timer;
  }

  /** Connections open now (lent, idle, or opening). */
  public synchronized int openConnections() {
    return all.size();
  }

  private void scheduleSweep(long delayNanos) {
    if (sweepScheduled.compareAndSet(false, true)) {
      try {
        idleTimer.schedule(this::sweep, delayNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        sweepScheduled.set(false); // the host's timer stopped: connections stay open until close()
      }
    }
  }

  /**
   * On the timer: closes the idle connections once nothing was given back for the idle time
   * (closing an SQLite connection is short: no I/O waits, no locks awaited). A give-back during
   * the look, which may have missed its schedule, is seen by the changed {@link #lastUse}.
   */
  private void sweep() {
    long seen = lastUse;
    long quiet = System.nanoTime() - seen;
    if (!closed && quiet < idleNanos) {
      try {
        idleTimer.schedule(this::sweep, idleNanos - quiet, TimeUnit.NANOSECONDS);
        return;
      } catch (RejectedExecutionException e) {
        sweepScheduled.set(false);
        return;
      }
    }
    List<StatementCache> toClose;
    synchronized (this) {
      toClose = closed ? List.of() : takeIdle();
    }
    toClose.forEach(ReadPool::closeQuietly);
    sweepScheduled.set(false);
    if (lastUse != seen && !closed) {
      scheduleSweep(idleNanos);
    }
  }

  /** The idle connections, the one in the slot included, taken out of the pool. */
  private List<StatementCache> takeIdle() {
    List<StatementCache> out = new ArrayList<>(idle);
    idle.clear();
    StatementCache r = ready.getAndSet(null);
    if (r != null) {
      out.add(r);
    }
    all.removeAll(out);
    return out;
  }
}
