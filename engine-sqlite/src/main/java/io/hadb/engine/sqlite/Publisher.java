package io.hadb.engine.sqlite;

import io.hadb.api.BodySource;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.changeset.ChainLink;
import io.hadb.changeset.Checksum;
import io.hadb.changeset.PhysicalHeader;
import io.hadb.changeset.PhysicalWriter;
import io.hadb.engine.sqlite.internal.CapturedPages;
import io.hadb.engine.sqlite.internal.ChainKeys;
import io.hadb.engine.sqlite.internal.LocalState;
import io.hadb.engine.sqlite.internal.MemoryPages;
import io.hadb.engine.sqlite.internal.PageImages;
import io.hadb.engine.sqlite.internal.Spool;
import io.hadb.engine.sqlite.internal.WalCapture;
import io.hadb.engine.sqlite.internal.WalReader;
import io.hadb.engine.sqlite.internal.WriteListener;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Leader side: captures each commit from the WAL and ships it as the next changeset.
 *
 * <p>A commit only counts itself ({@link #afterWrite}); a single shipper thread reads every
 * commit the WAL holds so far into one changeset (batching in ASYNC, group commit in SYNC),
 * spools it to a local file so each retry
 * sends the very same bytes, and writes it with putIfAbsent. The conflict rule is DESIGN §6.2:
 * an existing object with identical bytes is our own earlier attempt; anything else means another
 * leader owns the chain, so publishing stops and writes are refused ({@code FENCED}). The WAL is
 * checkpointed only after everything captured has shipped, while the write lock is held, so no
 * frame is ever checkpointed away before it is in the chain.
 */
final class Publisher implements WriteListener, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Publisher.class.getName());
  /** Largest capture copied to memory at a checkpoint (see {@link #maybeCheckpoint}). */
  private static final long CARRY_MAX_BYTES = 32L << 20;

  private final Path db;
  private final SqliteExecutor executor;
  private final StorageBackend storage;
  private final ChainKeys keys;
  private final SqliteOptions options;
  private final long epoch;
  private final WalReader wal;
  private final LongSupplier clock;
  private final Path spool;
  private final Thread shipper;

  // guarded by this
  private long writes = 1; // write calls so far; starts at 1 so the first pass reads what a crashed run left
  private long shippedToken; // every commit of the write calls up to this one is durable
  private long inFlightCommits; // read from the WAL, not yet durable
  private long leftoverCommits = -1; // after close: commits left out of the chain
  private long nextSeq;
  private Checksum lastChecksum; // checksum of the object at nextSeq - 1 (ZERO at seq 1)
  private HadbException failure;
  private boolean stopping;
  private long framesSinceCheckpoint;

  Publisher(Path db, SqliteExecutor executor, StorageBackend storage, ChainKeys keys,
      SqliteOptions options, long epoch, long nextSeq, Checksum lastChecksum, LongSupplier clock) {
    this.db = db;
    this.executor = executor;
    this.storage = storage;
    this.keys = keys;
    this.options = options;
    this.epoch = epoch;
    this.nextSeq = nextSeq;
    this.lastChecksum = lastChecksum;
    this.clock = clock;
    this.wal = new WalReader(WalReader.walOf(db));
    this.spool = db.resolveSibling(db.getFileName() + "-hadb.ship");
    this.shipper = new Thread(this::shipLoop, "hadb-sqlite-ship-" + db.getFileName());
    this.shipper.setDaemon(true);
  }

  void start() {
    shipper.start();
  }

  WalReader wal() {
    return wal;
  }

  // ---- WriteListener: count under the write lock, wait (SYNC) after it ----

  /**
   * Only counts the write and wakes the shipper: reading the WAL happens on the shipper thread,
   * so the committing thread pays nothing for it. That is safe without the write lock because
   * committed frames never move until the next checkpoint, which only the shipper takes (under
   * the write lock, after shipping); a frame still being written fails its checksum and ends the
   * scan before it, at the last complete commit.
   */
  @Override
  public long afterWrite() {
    synchronized (this) {
      writes++;
      notifyAll();
      return writes;
    }
  }

  @Override
  public void afterUnlock(long token) {
    if (options.durability() == Durability.SYNC) {
      awaitDurable(token);
    }
  }

  /** Blocks until every commit up to {@code token} is in storage; returns the last seq. */
  synchronized long awaitDurable(long token) {
    while (shippedToken < token) {
      if (failure != null) {
        throw new HadbException(failure.code(), "commit is local but not durable: " + failure.getMessage(), failure);
      }
      if (stopping) {
        throw HadbException.notLeader("publishing stopped before the commit was durable", null);
      }
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw HadbException.unavailable("interrupted while waiting for the commit to be durable", e);
      }
    }
    return nextSeq - 1;
  }

  /** Everything committed so far, durable. */
  long sync() {
    long token;
    synchronized (this) {
      token = writes;
    }
    return awaitDurable(token);
  }

  synchronized long lastSeq() {
    return nextSeq - 1;
  }

  synchronized Checksum lastChecksum() {
    return lastChecksum;
  }

  /**
   * Commits not in the chain: while running, write calls not yet shipped (an upper bound); after
   * {@link #close()}, the exact count of committed WAL frames groups that never shipped.
   */
  synchronized long unshippedCommits() {
    return leftoverCommits >= 0 ? leftoverCommits : writes - shippedToken;
  }

  synchronized HadbException failure() {
    return failure;
  }

  // ---- shipping ----

  private void shipLoop() {
    while (true) {
      long upTo;
      synchronized (this) {
        while (writes == shippedToken && !stopping && failure == null) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (stopping || failure != null) {
          return;
        }
        upTo = writes;
      }
      try {
        if (!shipPending(upTo)) {
          return;
        }
        maybeCheckpoint();
      } catch (HadbException e) {
        synchronized (this) {
          fail(e);
        }
        return;
      } catch (RuntimeException e) {
        synchronized (this) {
          fail(new HadbException(ErrorCode.INTERNAL, "shipping failed: " + e, e));
        }
        return;
      }
    }
  }

  /**
   * Reads the WAL once and ships every commit found as one changeset (batching in ASYNC, group
   * commit in SYNC). {@code upTo} was read before the WAL, so every write call up to it has its
   * commit in what was read. Returns false when stopped meanwhile.
   */
  private boolean shipPending(long upTo) {
    WalCapture c = readWal();
    return c.isEmpty() ? markShipped(upTo) : ship(new CapturedPages(wal, List.of(c)), c, upTo);
  }

  private WalCapture readWal() {
    WalCapture c = wal.readCommitted();
    if (c.restarted()) {
      throw new HadbException(ErrorCode.CORRUPT, "the WAL of " + db + " was restarted behind the"
          + " replicator (another process checkpointed it); commits may be missing from the chain,"
          + " so publishing stops: take a snapshot to resume");
    }
    return c;
  }

  /** Ships the pages of capture {@code c} as the next changeset; false when stopped meanwhile. */
  private boolean ship(PageImages pages, WalCapture c, long upTo) {
    synchronized (this) {
      inFlightCommits = c.commits();
    }
    ChainLink link = shipWithRetry(pages);
    if (link == null) {
      return false;
    }
    synchronized (this) {
      inFlightCommits = 0;
      lastChecksum = link.checksum();
      nextSeq = link.seq() + 1;
      framesSinceCheckpoint += c.pages().size();
    }
    // Not fsynced: a leader's file is marked dirty, so a stale record after a power loss only
    // means a rebuild from the chain, never a wrong position.
    new LocalState(link.seq(), link.checksum().toHex(), epoch, true).writeUnsynced(db);
    return markShipped(upTo);
  }

  private synchronized boolean markShipped(long upTo) {
    shippedToken = Math.max(shippedToken, upTo);
    notifyAll();
    return true;
  }

  /** Ships {@code pages} as the next changeset on the caller's thread (the base image). */
  void shipNow(PageImages pages) {
    ChainLink link = shipWithRetry(pages);
    if (link == null) {
      throw HadbException.notLeader("publishing stopped before the base image shipped", null);
    }
    synchronized (this) {
      lastChecksum = link.checksum();
      nextSeq = link.seq() + 1;
    }
    new LocalState(link.seq(), link.checksum().toHex(), epoch, true).writeUnsynced(db);
  }

  /** Writes the changeset for {@code pages} at the next seq; null if stopped meanwhile. */
  private ChainLink shipWithRetry(PageImages pages) {
    long seq;
    Checksum prev;
    synchronized (this) {
      seq = nextSeq;
      prev = lastChecksum;
    }
    ChainLink link = encode(pages, seq, prev);
    String key = keys.change(seq);
    BodySource body = BodySource.ofFile(spool);
    long backoff = options.retryBackoff().toNanos();
    while (true) {
      synchronized (this) {
        if (stopping) {
          return null;
        }
      }
      try {
        if (storage.putIfAbsent(key, body)) {
          return link;
        }
        if (Spool.sameBytes(storage.getStream(key), body)) {
          // Our own earlier attempt landed (its answer was lost): the chain has it.
          return link;
        }
        throw HadbException.fenced("another leader wrote " + key + " first; this node (epoch "
            + epoch + ") no longer owns the chain");
      } catch (HadbException e) {
        if (!e.retryable()) {
          throw e;
        }
        LOG.log(Level.WARNING, "uploading " + key + " failed, retrying: " + e.getMessage());
        sleepNanos(backoff);
        backoff = Math.min(backoff * 2, options.retryBackoff().toNanos() * 32);
      }
    }
  }

  private ChainLink encode(PageImages pages, long seq, Checksum prev) {
    PhysicalHeader header = new PhysicalHeader(seq, epoch, pages.pageSize(), pages.dbSizePages(),
        pageCount(pages), clock.getAsLong(), prev);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(spool), 1 << 16);
        PhysicalWriter w = PhysicalWriter.open(out, header, options.encode())) {
      pages.forEach(w::writePage);
      ChainLink link = w.finish();
      out.flush();
      return link;
    } catch (IOException e) {
      throw HadbException.unavailable("writing the spool file " + spool + " failed: " + e.getMessage(), e);
    }
  }

  private static long pageCount(PageImages pages) {
    if (pages instanceof CapturedPages c) {
      return c.pageCount();
    }
    return pages instanceof MemoryPages m ? m.pageCount() : countPages(pages);
  }

  static long countPages(PageImages pages) {
    long[] n = {0};
    pages.forEach((no, data) -> n[0]++);
    return n[0];
  }

  /**
   * Checkpoints once enough shipped frames piled up. Under the write lock (no new commits), the
   * frames committed since the last ship are copied out of the WAL into memory, the WAL is
   * checkpointed, and the lock is released; those copied pages ship right after, as the next
   * changeset. Writers wait only for the copy and the checkpoint, not for an upload (waiting
   * for an upload under the lock stalled a steady writer for an fsync'd put every checkpoint).
   * A capture too large to copy ({@link #CARRY_MAX_BYTES}) ships under the lock instead.
   * (Waiting for a moment with nothing pending would starve under a steady stream of writes.)
   */
  private void maybeCheckpoint() {
    synchronized (this) {
      if (framesSinceCheckpoint < options.checkpointPages()) {
        return;
      }
    }
    long upTo;
    WalCapture c;
    PageImages carried = null;
    ReentrantLock lock = executor.writeLock();
    lock.lock();
    try {
      synchronized (this) {
        if (stopping || failure != null) {
          return;
        }
        upTo = writes;
      }
      if (!executor.hasWriter()) {
        return;
      }
      c = readWal();
      if (!c.isEmpty()) {
        CapturedPages pages = new CapturedPages(wal, List.of(c));
        if ((long) pages.pageCount() * pages.pageSize() <= CARRY_MAX_BYTES) {
          carried = MemoryPages.copyOf(pages);
        } else if (!ship(pages, c, upTo)) {
          return;
        }
      }
      if (checkpointLocked()) {
        synchronized (this) {
          framesSinceCheckpoint = 0;
        }
      }
    } finally {
      lock.unlock();
    }
    if (carried != null) {
      ship(carried, c, upTo);
    } else {
      markShipped(upTo);
    }
  }

  /**
   * RESTART checkpoint on the writer; the caller holds the write lock and all is shipped.
   * RESTART, not TRUNCATE: the next writer then starts the log over at its beginning and
   * overwrites blocks the file already has. After a truncate every commit extends the file again,
   * and that made inserts measurably slower than plain SQLite (whose own checkpoints reuse the
   * log the same way). Old frames left behind carry the previous salts, so readers ignore them.
   */
  boolean checkpointLocked() {
    try (Statement s = executor.writerLocked().createStatement();
        ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(RESTART)")) {
      boolean ok = rs.next() && rs.getInt(1) == 0;
      if (ok) {
        wal.expectRestart();
      } else {
        LOG.log(Level.DEBUG, "checkpoint of " + db + " was blocked by a reader; retrying later");
      }
      return ok;
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "checkpoint of " + db + " failed: " + e.getMessage());
      return false;
    }
  }

  private void fail(HadbException e) {
    if (failure == null) {
      failure = e;
      LOG.log(Level.ERROR, "publishing " + db + " stopped: " + e.getMessage());
      if (e.code() == ErrorCode.FENCED || e.code() == ErrorCode.CORRUPT) {
        executor.refuseWrites(e);
      }
      notifyAll();
    }
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops shipping (an upload in flight is abandoned); waiters are released with NOT_LEADER. */
  @Override
  public void close() {
    synchronized (this) {
      stopping = true;
      notifyAll();
    }
    try {
      shipper.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Writes are refused by now, so the WAL holds still: count what never reached the chain.
    long left;
    try {
      left = wal.readCommitted().commits();
    } catch (HadbException e) {
      left = 0;
    }
    synchronized (this) {
      leftoverCommits = inFlightCommits + left;
    }
    wal.close();
    Spool.deleteQuietly(spool);
  }
}
