package io.hadb.engine.sqlite;

import io.hadb.api.Durability;
import io.hadb.api.BodySource;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.changeset.ChainLink;
import io.hadb.changeset.Checksum;
import io.hadb.changeset.PhysicalHeader;
import io.hadb.engine.sqlite.internal.CapturedPages;
import io.hadb.engine.sqlite.internal.ChainKeys;
import io.hadb.engine.sqlite.internal.DbFile;
import io.hadb.engine.sqlite.internal.LocalState;
import io.hadb.engine.sqlite.internal.MemoryPages;
import io.hadb.engine.sqlite.internal.PageImages;
import io.hadb.engine.sqlite.internal.Spool;
import io.hadb.engine.sqlite.internal.SpooledObject;
import io.hadb.engine.sqlite.internal.WalCapture;
import io.hadb.engine.sqlite.internal.WalHeader;
import io.hadb.engine.sqlite.internal.WalReader;
import io.hadb.engine.sqlite.internal.WriteListener;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
  private static final PageImages STOPPED = MemoryPages.empty();
  /**
   * The log is started over under the write lock only once a pass finds this many times
   * checkpointPages frames in it (a writer that never pauses; one that pauses lets the log start
   * over by itself): each such checkpoint stalls writers for two fsyncs, and the passes without
   * the lock keep the file current meanwhile.
   */
  private static final int RESTART_AFTER_CHECKPOINTS = 4;
  /** Changesets up to this size are encoded in memory rather than through the spool file. */
  private static final long IN_MEMORY_MAX_BYTES = 4L << 20;

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
  /** Shipper thread only: checkpoints most of the WAL without the write lock. */
  private final PinnedBackfill backfill;
  /** Shipper thread only: the encoded changeset, reused (see {@link ShipBuffer}). */
  private final ShipBuffer shipBuffer = new ShipBuffer();

  // guarded by this
  private long writes; // write calls so far; starts at 1 so the first pass reads what a crashed run left
  private long shippedToken; // every commit of the write calls up to this one is durable
  private long inFlightCommits; // read from the WAL, not yet durable
  private long leftoverCommits = -1; // after close: commits left out of the chain
  private long nextSeq;
  private Checksum lastChecksum; // checksum of the object at nextSeq - 1 (ZERO at seq 1)
  private HadbException failure;
  private boolean stopping;
  private long framesSinceCheckpoint;
  private long lastBodyBytes; // shipper thread only: size of the last changeset encoded
  private boolean checkpointsPaused; // a snapshot is copying the database file
  private CompletableFuture<SnapshotPoint> snapshotRequest;
  private long changesetsSinceSnapshot;
  private long bytesSinceSnapshot;
  private long lastSnapshotNanos = System.nanoTime();
  private Runnable snapshotDue = () -> {};
  private int waiters; // threads in awaitDurable
  private long lastShipStartNanos = System.nanoTime() - Duration.ofDays(1).toNanos();
  private boolean ticked; // tick() woke the shipper: check the interval trigger without a write

  /** Where a snapshot stands in the chain: its seq and the chain's checksum at that seq. */
  record SnapshotPoint(long seq, Checksum chainChecksum) {}

  Publisher(Path db, DbFile file, SqliteExecutor executor, StorageBackend storage, ChainKeys keys,
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
    this.backfill = new PinnedBackfill(db, file, options.busyTimeoutMillis());
    this.shipper = new Thread(this::shipLoop, "hadb-sqlite-ship-" + db.getFileName());
    this.shipper.setDaemon(true);
    this.writes = options.durability() == Durability.SNAPSHOT_ONLY ? 0 : 1;
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
    waiters++;
    notifyAll(); // a shipper holding back for the ship interval goes at once for a waiter
    try {
      return awaitDurableLocked(token);
    } finally {
      waiters--;
    }
  }

  private long awaitDurableLocked(long token) {
    while (shippedToken < token) {
      // The commit is in the local file already: whatever stops publishing now, the caller must
      // not read this as "not applied" (DESIGN §6.4's error contract), so the code is
      // UNKNOWN_OUTCOME and the cause says what happened.
      if (failure != null) {
        throw HadbException.unknownOutcome("committed locally, but not confirmed in storage: "
            + failure.getMessage(), failure);
      }
      if (stopping) {
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
    try {
      shipUntilStopped();
    } finally {
      backfill.close(); // here, not in close(): the shipper may outlive close()'s wait for it
    }
  }

  private void shipUntilStopped() {
    while (true) {
      long upTo;
      synchronized (this) {
        while (true) {
          while (writes == shippedToken && snapshotRequest == null && !ticked && !stopping && failure == null) {
            try {
              wait();
            } catch (InterruptedException e) {
              return;
            }
          }
          if (stopping || failure != null) {
            return;
          }
          long hold = holdNanosLocked();
          if (hold <= 0) {
            break;
          }
          try {
            wait(Math.max(1, hold / 1_000_000)); // more commits join this ship meanwhile
          } catch (InterruptedException e) {
            return;
          }
        }
        upTo = writes;
        ticked = false;
        if (writes != shippedToken) {
          lastShipStartNanos = System.nanoTime();
        }
      }
      try {
        if (options.durability() != Durability.SNAPSHOT_ONLY && !shipPending(upTo)) {
          return;
        }
        maybeCheckpoint();
        prepareSnapshotIfAsked();
        checkSnapshotDue();
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
   * How long to hold commits back before shipping them: what is left of the ship interval since
   * the last upload started, in ASYNC mode while nobody waits for durability (SYNC callers,
   * {@code sync()}) and no snapshot is asked for; 0 otherwise (see
   * {@link SqliteOptions#shipInterval()}).
   */
  private long holdNanosLocked() {
    if (options.durability() != Durability.ASYNC || waiters > 0 || snapshotRequest != null
        || writes == shippedToken) {
      return 0;
    }
    return lastShipStartNanos + options.shipInterval().toNanos() - System.nanoTime();
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
      changesetsSinceSnapshot++;
      bytesSinceSnapshot += lastBodyBytes;
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
    long count = pages.pageCount();
    PhysicalHeader header = new PhysicalHeader(seq, epoch, pages.pageSize(), pages.dbSizePages(),
        count, clock.getAsLong(), prev);
    String key = keys.change(seq);
    // Small changesets are encoded in memory: a spool file would be written and read back on
    // every ship, CPU taken from the writers. Either way a retry sends the very same bytes.
    ChainLink link;
    BodySource body;
    if (count * pages.pageSize() <= IN_MEMORY_MAX_BYTES) {
      shipBuffer.reset();
      link = SpooledObject.encode(pages, header, options.encode(), shipBuffer);
      body = shipBuffer.body();
      lastBodyBytes = shipBuffer.size();
    } else {
      link = SpooledObject.encode(pages, header, options.encode(), spool);
      body = BodySource.ofFile(spool);
      lastBodyBytes = spoolSize();
    }
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

  /**
   * The in-memory changeset body, one buffer reused for every ship. A fresh buffer per ship,
   * then its copy, then the copy BodySource.of makes, allocated and zeroed about three times the
   * changeset per ship on the thread that competes with the writers for CPU. The bytes stay
   * unchanged until the next encode, after the upload and its retries are over.
   */
  private static final class ShipBuffer extends java.io.ByteArrayOutputStream {
    ShipBuffer() {
      super(64 * 1024);
    }

    BodySource body() {
      byte[] bytes = buf;
      int length = count;
      return new BodySource() {
        @Override
        public java.io.InputStream open() {
          return new java.io.ByteArrayInputStream(bytes, 0, length);
        }

        @Override
        public long length() {
          return length;
        }
      };
    }
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
      if (framesSinceCheckpoint < options.checkpointPages() || checkpointsPaused
          || options.durability() == Durability.SNAPSHOT_ONLY) {
        return;
      }
    }
    PinnedBackfill.Result pass = backfillWithoutLock();
    if (pass == null) {
      return;
    }
    if (pass.logFrames() >= 0 && pass.logFrames() < RESTART_AFTER_CHECKPOINTS * options.checkpointPages()) {
      // No write lock yet: the log is still small, and a writer that pauses now and then lets a
      // pass copy it whole, after which the next commit starts it over by itself. Decided by
      // the size alone: a writer that began its next commit during such a pass appends instead,
      // and a rule that trusted "copied whole" let the log grow without end under SYNC commits.
      synchronized (this) {
        framesSinceCheckpoint = 0;
      }
      return;
    }
    long upTo;
    WalCapture c;
    PageImages carried = null;
    ReentrantLock lock = executor.writeLock();
    lock.lock();
    try {
      synchronized (this) {
        if (stopping || failure != null || checkpointsPaused) {
          return;
        }
        upTo = writes;
      }
      if (!executor.hasWriter()) {
        return;
      }
      c = readWal();
      carried = carryOrShipLocked(c, upTo);
      if (carried == STOPPED) {
        return;
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
   * The bulk of the checkpoint while writers go on (see {@link PinnedBackfill}): pin, ship what
   * the pin sees, copy up to the pin. Returns what SQLite reported, null when publishing stopped
   * meanwhile. A pass that cannot pin or copy (a connection that does not open, an I/O error)
   * is logged and returns {@link PinnedBackfill.Result#FAILED}, which leaves the whole copy to
   * the checkpoint under the lock, as before.
   */
  private PinnedBackfill.Result backfillWithoutLock() {
    try {
      backfill.pin();
    } catch (SQLException | HadbException e) {
      LOG.log(Level.WARNING, "could not pin " + db + " for a checkpoint pass: " + e.getMessage());
      return PinnedBackfill.Result.FAILED;
    }
    try {
      long upTo;
      synchronized (this) {
        upTo = writes;
      }
      if (!shipPending(upTo)) { // its failures stop publishing, as from the ship loop
        return null;
      }
      synchronized (this) {
        if (stopping) {
          return null; // stopPublishing needs the file to itself: no more checkpoint work
        }
      }
      PinnedBackfill.Result r;
      try {
        r = backfill.backfill();
      } catch (SQLException | HadbException e) {
        LOG.log(Level.WARNING, "checkpoint pass of " + db + " without the write lock failed: " + e.getMessage());
        return PinnedBackfill.Result.FAILED;
      }
      requireShipped(r);
      if (r.logCopied()) {
        wal.expectRestart(); // the next writer may start the log over: all of it is shipped
      }
      return r;
    } finally {
      backfill.unpin();
    }
  }

  /**
   * The pass copied no frame the shipper has not read: SQLite counts the frames in the file from
   * the start of the log, and the shipper has read up to {@link WalReader#position()} in the same
   * log (the pin kept it from restarting since). A failure here means the pin did not hold, and
   * the chain may lose what was copied, so publishing stops.
   */
  private void requireShipped(PinnedBackfill.Result r) {
    long read = wal.header().map(h -> (wal.position() - WalHeader.SIZE) / h.frameSize()).orElse(0L);
    if (r.copiedFrames() > read) {
      throw new HadbException(ErrorCode.CORRUPT, "a checkpoint of " + db + " copied " + r.copiedFrames()
          + " WAL frames into the file but only " + read + " were shipped (the pin did not hold)");
    }
  }

  /**
   * Under the write lock: the pages of capture {@code c} copied to memory, to ship once the lock
   * is released; null when there is nothing to ship (or a capture too large to copy was shipped
   * right here); {@link #STOPPED} when publishing stopped during that upload.
   */
  private PageImages carryOrShipLocked(WalCapture c, long upTo) {
    if (c.isEmpty()) {
      return null;
    }
    CapturedPages pages = new CapturedPages(wal, List.of(c));
    if (pages.pageCount() * pages.pageSize() <= CARRY_MAX_BYTES) {
      return MemoryPages.copyOf(pages);
    }
    return ship(pages, c, upTo) ? null : STOPPED;
  }

  // ---- snapshots ----

  /** Called (on the shipper thread) when the policy says a snapshot is due. */
  void onSnapshotDue(Runnable r) {
    snapshotDue = r;
  }

  private void checkSnapshotDue() {
    boolean due;
    synchronized (this) {
      // An idle shipping leader has nothing new to snapshot (SNAPSHOT_ONLY counts no changesets).
      boolean changed = changesetsSinceSnapshot > 0 || options.durability() == Durability.SNAPSHOT_ONLY;
      due = snapshotRequest == null && !checkpointsPaused && changed && options.snapshots().isDue(
          changesetsSinceSnapshot, bytesSinceSnapshot, java.time.Duration.ofNanos(System.nanoTime() - lastSnapshotNanos));
      if (due) {
        // One trigger per period, even if the snapshot fails. Reset here, not once the snapshot
        // is stored: the shipper kept firing until then (snapshots queued back to back), and
        // changesets shipped during the copy were not counted (the period stretched).
        lastSnapshotNanos = System.nanoTime();
        changesetsSinceSnapshot = 0;
        bytesSinceSnapshot = 0;
      }
    }
    if (due) {
      snapshotDue.run();
    }
  }

  /**
   * Wakes the shipper once in a while so interval-based snapshots fire without writes (the flag:
   * a bare notify left the shipper waiting again, since it had nothing to ship).
   */
  synchronized void tick() {
    ticked = true;
    notifyAll();
  }

  /**
   * Asks the shipper for a consistent point to snapshot: everything committed is shipped, the
   * WAL is checkpointed into the file and further checkpoints are paused, so the file stays as
   * of the returned seq while the caller copies it ({@link #resumeCheckpoints} when done).
   */
  synchronized CompletableFuture<SnapshotPoint> requestSnapshotPoint() {
    if (snapshotRequest == null) {
      snapshotRequest = new CompletableFuture<>();
      notifyAll();
    }
    return snapshotRequest;
  }

  synchronized void resumeCheckpoints(boolean snapshotStored) {
    checkpointsPaused = false;
    if (snapshotStored) {
      lastSnapshotNanos = System.nanoTime();
    }
    // Changesets shipped during the copy still count toward the next trigger, but the shipper
    // only looks at the policy after a pass: wake it, or a trigger that fell due during the copy
    // waits for the next write (after a burst, that may be never).
    ticked = true;
    notifyAll();
  }

  /**
   * Under the write lock only for a moment: the frames since the last ship are copied to memory
   * and the WAL is checkpointed; the copy ships after the lock is released, and the snapshot
   * point is the seq it gets. In SNAPSHOT_ONLY mode nothing ships; the snapshot takes the next
   * seq itself.
   */
  private void prepareSnapshotIfAsked() {
    CompletableFuture<SnapshotPoint> request;
    synchronized (this) {
      request = snapshotRequest;
    }
    if (request == null) {
      return;
    }
    try {
      SnapshotPoint point = prepareSnapshot();
      synchronized (this) {
        snapshotRequest = null;
      }
      request.complete(point);
    } catch (RuntimeException e) {
      synchronized (this) {
        snapshotRequest = null;
        checkpointsPaused = false;
      }
      request.completeExceptionally(e);
      if (!(e instanceof HadbException h) || h.code() != ErrorCode.UNAVAILABLE) {
        throw e;
      }
    }
  }

  private SnapshotPoint prepareSnapshot() {
    boolean snapshotOnly = options.durability() == Durability.SNAPSHOT_ONLY;
    // The bulk of the checkpoint first, while writers go on (nothing ships in SNAPSHOT_ONLY).
    if (!snapshotOnly && backfillWithoutLock() == null) {
      throw HadbException.notLeader("publishing stopped before the snapshot point", null);
    }
    long upTo;
    WalCapture c = null;
    PageImages carried = null;
    ReentrantLock lock = executor.writeLock();
    lock.lock();
    try {
      synchronized (this) {
        upTo = writes;
      }
      if (!snapshotOnly) {
        c = readWal();
        carried = carryOrShipLocked(c, upTo);
        if (carried == STOPPED) {
          throw HadbException.notLeader("publishing stopped before the snapshot point", null);
        }
      }
      if (!checkpointLocked()) {
        throw HadbException.unavailable("could not checkpoint " + db + " for a snapshot (a reader"
            + " held the WAL); try again", null);
      }
      synchronized (this) {
        framesSinceCheckpoint = 0;
        checkpointsPaused = true;
        if (snapshotOnly) {
          nextSeq++;
          return new SnapshotPoint(nextSeq - 1, Checksum.ZERO);
        }
      }
    } finally {
      lock.unlock();
    }
    if (carried != null) {
      if (!ship(carried, c, upTo)) {
        throw HadbException.notLeader("publishing stopped before the snapshot point", null);
      }
    } else {
      markShipped(upTo);
    }
    synchronized (this) {
      return new SnapshotPoint(nextSeq - 1, lastChecksum);
    }
  }

  private long spoolSize() {
    try {
      return Files.size(spool);
    } catch (java.io.IOException e) {
      return 0;
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
      PinnedBackfill.Result r = PinnedBackfill.Result.of(rs);
      if (r.logCopied()) {
        // Even when a reader kept RESTART waiting past the busy timeout (busy): it had copied the
        // whole log first, so the next writer after that reader starts the log over.
        wal.expectRestart();
      }
      if (r.busy()) {
        LOG.log(Level.DEBUG, "checkpoint of " + db + " was blocked by a reader; retrying later");
      }
      return !r.busy();
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
      if (snapshotRequest != null) {
        snapshotRequest.completeExceptionally(
            HadbException.notLeader("publishing stopped before the snapshot point", null));
        snapshotRequest = null;
      }
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
