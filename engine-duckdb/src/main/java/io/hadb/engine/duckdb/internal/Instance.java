package io.hadb.engine.duckdb.internal;

import io.hadb.api.HadbException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.duckdb.DuckDBConnection;

/**
 * One open DuckDB database (one instance of DuckDB's engine) and its pool of connections, with a
 * count of the readers using it. The executor swaps instances (a follower's staged copy, a
 * promotion, a demotion); the old one closes once its last reader gives its connection back, so a
 * reader never has its instance closed under it and never reads a file the instance did not open.
 *
 * <p>DuckDB's JDBC driver keeps one instance per path and hands it to a second open of the same
 * path (and refuses one with other settings), so every instance a follower reads is opened under
 * a name no other live instance has (see {@code StagedSwap}).
 */
public final class Instance {
  private static final System.Logger LOG = System.getLogger(Instance.class.getName());

  private final String name;
  private final DuckDBConnection root;
  private final int maxIdle;
  private final boolean readOnly;
  private final ArrayDeque<Conn> idle = new ArrayDeque<>(); // guarded by this
  private final List<Conn> all = new ArrayList<>(); // guarded by this
  // 1 for being current, +1 per reader; 0 means closed
  private final AtomicInteger refs = new AtomicInteger(1);
  private final CountDownLatch closed = new CountDownLatch(1);

  private Instance(String name, DuckDBConnection root, int maxIdle, boolean readOnly) {
    this.name = name;
    this.root = root;
    this.maxIdle = maxIdle;
    this.readOnly = readOnly;
  }

  /** Opens {@code file} read-only or read-write; the file must be a DuckDB database (or absent, read-write). */
  public static Instance open(Path file, boolean readOnly, int maxIdle) {
    Properties p = new Properties();
    if (readOnly) {
      p.setProperty("duckdb.read_only", "true");
    }
    try {
      Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), p);
      return new Instance(file.toString(), c.unwrap(DuckDBConnection.class), maxIdle, readOnly);
    } catch (SQLException e) {
      throw DuckErrors.opening(file, e);
    }
  }

  /** An empty in-memory database: what a follower reads before the first changeset arrives. */
  public static Instance empty(int maxIdle) {
    try {
      Connection c = DriverManager.getConnection("jdbc:duckdb:", new Properties());
      return new Instance("(empty)", c.unwrap(DuckDBConnection.class), maxIdle, true);
    } catch (SQLException e) {
      throw HadbException.unavailable("cannot open an in-memory DuckDB: " + e.getMessage(), e);
    }
  }

  public String name() {
    return name;
  }

  public boolean readOnly() {
    return readOnly;
  }

  /** Counts one more reader; false when the instance is closing (take the current one again). */
  public boolean retain() {
    for (;;) {
      int n = refs.get();
      if (n == 0) {
        return false;
      }
      if (refs.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** One reader less; the last closes the instance. */
  public void release() {
    if (refs.decrementAndGet() == 0) {
      closeAll();
    }
  }

  /** No longer current: closes as soon as no reader uses it. */
  public void retire() {
    release();
  }

  /** Waits until the instance is closed (its readers finished); false on timeout. */
  public boolean awaitClosed(long millis) {
    try {
      return closed.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A connection for the caller alone (the caller has {@link #retain}ed). */
  public Conn borrow() {
    synchronized (this) {
      Conn c = idle.pollFirst();
      if (c != null) {
        return c;
      }
    }
    Conn c = new Conn(duplicate());
    synchronized (this) {
      all.add(c);
    }
    return c;
  }

  public void giveBack(Conn c) {
    synchronized (this) {
      if (idle.size() < maxIdle && refs.get() > 0) {
        idle.addFirst(c);
        return;
      }
      all.remove(c);
    }
    c.close();
  }

  /** A connection outside the pool (the leader's writer), closed by its user. */
  public Conn dedicated() {
    return new Conn(duplicate());
  }

  private Connection duplicate() {
    try {
      return root.duplicate();
    } catch (SQLException e) {
      throw HadbException.unavailable("cannot open a connection to DuckDB database " + name + ": " + e.getMessage(), e);
    }
  }

  private void closeAll() {
    List<Conn> toClose;
    synchronized (this) {
      toClose = new ArrayList<>(all);
      all.clear();
      idle.clear();
    }
    for (Conn c : toClose) {
      c.close();
    }
    try {
      root.close();
    } catch (SQLException e) {
      LOG.log(System.Logger.Level.WARNING, "closing DuckDB database " + name + ": " + e.getMessage());
    }
    closed.countDown();
  }
}
