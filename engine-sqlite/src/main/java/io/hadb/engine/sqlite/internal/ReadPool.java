package io.hadb.engine.sqlite.internal;

import io.hadb.api.HadbException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounded pool of read-only connections for local reads. Connections are created lazily; a
 * caller beyond the bound waits for one to come back.
 */
public final class ReadPool implements AutoCloseable {
  private final Path file;
  private final int max;
  private final int busyTimeoutMs;
  private final ArrayDeque<StatementCache> idle = new ArrayDeque<>();
  private final List<StatementCache> all = new ArrayList<>();
  private boolean closed;
  private int waiting; // readers waiting for a connection: only then does a give-back notify

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
    boolean create = false;
    synchronized (this) {
      while (true) {
        if (closed) {
          throw HadbException.closed("database " + file);
        }
        StatementCache c = idle.pollFirst();
        if (c != null) {
          return c;
        }
        if (all.size() < max) {
          all.add(null); // reserve the slot; the connection opens outside the monitor
          create = true;
          break;
        }
        waiting++;
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw HadbException.unavailable("interrupted while waiting for a read connection", e);
        } finally {
          waiting--;
        }
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
    synchronized (this) {
      if (!closed && healthy) {
        idle.addFirst(c);
        wakeWaiting();
        return;
      }
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
      toClose = new ArrayList<>(idle);
      all.removeAll(idle);
      idle.clear();
      notifyAll();
    }
    toClose.forEach(ReadPool::closeQuietly);
  }

  /** Closes idle connections (they reopen on demand), e.g. before a journal-mode switch. */
  public void closeIdle() {
    List<StatementCache> toClose;
    synchronized (this) {
      toClose = new ArrayList<>(idle);
      all.removeAll(idle);
      idle.clear();
    }
    toClose.forEach(ReadPool::closeQuietly);
  }
}
