package io.hadb.chain.internal;

import io.hadb.api.Durability;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.engine.DurableListener;
import io.hadb.chain.Capture;
import io.hadb.chain.Captured;
import io.hadb.chain.ChainKeys;
import io.hadb.chain.ChainOptions;
import io.hadb.chain.Checkpointer;
import io.hadb.chain.LeaderFile;
import io.hadb.chain.LocalState;
import io.hadb.chain.MemoryPages;
import io.hadb.chain.PageImages;
import io.hadb.chain.Shipping;
import io.hadb.chain.WriteListener;
import io.hadb.changeset.ChainLink;
import io.hadb.changeset.Checksum;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Leader side of the chain: one shipper thread ships what the engine's {@link Capture} finds as
 * the next changeset (DESIGN §6.2, §6.3). A commit only counts itself ({@link #afterWrite}); the
 * shipper reads every commit the capture holds so far into one changeset (batching in ASYNC,
 * group commit in SYNC) and the {@link ChainAppender} writes it with put-if-absent. After each
 * ship the engine's {@link Checkpointer} may fold what shipped into the file, shipping through
 * this publisher first, so nothing reaches the file before it is in the chain.
 *
 * <p>The pieces: {@link CommitLedger} (which commits are durable, what the shipper must do, the
 * lifecycle), {@link ChainAppender} (the next seq, put-if-absent, retry, fencing),
 * {@link SnapshotTrigger} (when a snapshot is due); this class runs the shipper thread and
 * hands a snapshot its consistent point.
 */
public final class Publisher implements WriteListener, Shipping, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Publisher.class.getName());
  /** Largest capture copied to memory under the engine's write lock (see {@link #captureLocked}). */
  private static final long CARRY_MAX_BYTES = 32L << 20;
  /**
   * ASYNC: the least time between the starts of two passes, as a multiple of the last capture's
   * duration, so captures take at most about a third of the time of a steady stream of writes
   * (uploads are I/O and do not count). An engine whose capture is costly (DuckDB's checkpoints run under
   * the write lock) then folds more commits into each pass instead of stalling its writers; a
   * cheap capture (SQLite's WAL read, about a millisecond) stays below the ship interval.
   */
  private static final int PACING = 3;

  private final Path db;
  private final LeaderFile leader;
  private final Capture capture;
  private final Checkpointer checkpointer;
  private final ChainOptions options;
  private final long epoch;
  private final CommitLedger ledger;
  private final ChainAppender appender;
  private final SnapshotTrigger trigger;
  private final Thread shipper; // null when the passes run on a host's shared threads
  private final PooledShipper pooled; // null with a shipper thread of its own
  private volatile boolean started;
  private final AtomicBoolean checkpointerClosed = new AtomicBoolean();
  private long shippedSinceCheckpoint; // shipper thread only
  private long lastCaptureNanos; // shipper thread only: how long the last capture took (PACING)
  private volatile boolean snapshotHeld; // a snapshot is copying the file
  private volatile Runnable snapshotDue = () -> { };

  /**
   * A publisher for {@code db} at {@code epoch}, continuing the chain after {@code lastSeq}
   * (whose object has {@code lastChecksum}); {@link #start()} starts its shipper.
   */
  public Publisher(Path db, LeaderFile leader, StorageBackend storage, ChainKeys keys, ChainOptions options,
      long epoch, long lastSeq, Checksum lastChecksum, LongSupplier wallMillis) {
    this.db = db;
    this.leader = leader;
    this.capture = leader.capture();
    this.checkpointer = leader.checkpointer();
    this.options = options;
    this.epoch = epoch;
    this.ledger = new CommitLedger(ships());
    ChangesetEncoder encoder = new ChangesetEncoder(options.encode(), db.resolveSibling(db.getFileName() + "-hadb.ship"));
    this.appender = new ChainAppender(storage, keys, encoder, options.retryBackoff(), epoch,
        new ChainHead(lastSeq, lastChecksum), wallMillis);
    this.trigger = new SnapshotTrigger(options.snapshots(), () -> sizeOf(db));
    if (options.threads().isPresent()) {
      this.shipper = null;
      this.pooled = new PooledShipper(options.threads().get(), this::pass, this::closeCheckpointer, db.toString());
    } else {
      this.shipper = new Thread(this::shipLoop, "hadb-ship-" + db.getFileName());
      this.shipper.setDaemon(true);
      this.pooled = null;
    }
  }

  public void start() {
    started = true;
    if (pooled != null) {
      ledger.wakeWith(pooled::queue);
      ledger.tick(); // the first pass reads whatever a crashed run left in the engine's log
    } else {
      shipper.start();
    }
  }

  /** Who is told of each changeset once it is durable (see {@link DurableListener}). */
  public void listenDurable(DurableListener l) {
    appender.listen(l);
  }

  // ---- WriteListener: count under the write lock, wait (SYNC) after it ----

  /**
   * Only counts the write and wakes the shipper: the capture runs on the shipper thread, so the
   * committing thread pays nothing for it.
   */
  @Override
  public long afterWrite() {
    return ledger.recordWrite();
  }

  @Override
  public void afterUnlock(long token) {
    if (options.durability() == Durability.SYNC) {
      awaitDurable(token);
    }
  }

  private long awaitDurable(long token) {
    return ledger.awaitDurable(token, () -> appender.head().seq());
  }

  /** Blocks until everything committed so far is durable; returns the last seq. */
  public long sync() {
    return awaitDurable(ledger.writes());
  }

  public long lastSeq() {
    return appender.head().seq();
  }

  public Checksum lastChecksum() {
    return appender.head().checksum();
  }

  /**
   * Commits not in the chain: while running, write calls not yet shipped (an upper bound); after
   * {@link #close()}, the exact count of commits that never shipped.
   */
  public long unshippedCommits() {
    return ledger.unshipped();
  }

  /** Why publishing stopped on its own, or null. */
  public HadbException failure() {
    return ledger.failure();
  }

  // ---- the shipper thread ----

  private void shipLoop() {
    try {
      shipUntilStopped();
    } finally {
      closeCheckpointer(); // here, not in close(): the shipper may outlive close()'s wait for it
    }
  }

  private void shipUntilStopped() {
    while (true) {
      CommitLedger.Work work = ledger.awaitWork(async(), holdNanos());
      if (work == CommitLedger.Work.STOP || !runPass(work)) {
        return;
      }
    }
  }

  /**
   * One pass of a pooled shipper (see {@link PooledShipper}): what one turn of the loop does,
   * without waiting. Returns what to do next: run again, come back later, or end.
   */
  private PooledShipper.Next pass() {
    CommitLedger.Polled polled = ledger.pollWork(async(), holdNanos());
    if (polled.work() == null) {
      return polled.holdNanos() > 0 ? PooledShipper.Next.later(polled.holdNanos()) : PooledShipper.Next.IDLE;
    }
    if (polled.work() == CommitLedger.Work.STOP || !runPass(polled.work())) {
      return PooledShipper.Next.END;
    }
    return PooledShipper.Next.AGAIN;
  }

  private boolean async() {
    return options.durability() == Durability.ASYNC;
  }

  private long holdNanos() {
    return Math.max(options.shipInterval().toNanos(), PACING * lastCaptureNanos);
  }

  /** Ships what {@code work} asks, then looks at snapshots; false when publishing ended. */
  private boolean runPass(CommitLedger.Work work) {
    try {
      if (ships()) {
        if (!shipPending(work.upTo())) {
          return false;
        }
        checkpointer.afterShip(this);
      }
      prepareSnapshotIfAsked();
      checkSnapshotDue();
      return true;
    } catch (HadbException e) {
      fail(e);
      return false;
    } catch (RuntimeException e) {
      fail(new HadbException(ErrorCode.INTERNAL, "shipping failed: " + e, e));
      return false;
    }
  }

  private void closeCheckpointer() {
    if (checkpointerClosed.compareAndSet(false, true)) {
      checkpointer.close();
    }
  }

  /**
   * Captures once and ships every commit found as one changeset (batching in ASYNC, group commit
   * in SYNC). {@code upTo} was read before the capture, so every write call up to it has its
   * commit in what was read. Returns false when stopped meanwhile.
   */
  private boolean shipPending(long upTo) {
    long start = System.nanoTime();
    Captured c = capture.read();
    lastCaptureNanos = System.nanoTime() - start;
    return c.isEmpty() ? markShipped(upTo) : ship(c.pages(), c.commits(), upTo);
  }

  /** Ships {@code pages} ({@code commits} commits) as the next changeset; false when stopped meanwhile. */
  private boolean ship(PageImages pages, int commits, long upTo) {
    ledger.inFlight(commits);
    ChainLink link = appender.append(pages, this::stopped);
    if (link == null) {
      return false;
    }
    ledger.inFlight(0);
    shippedSinceCheckpoint += pages.pageCount();
    trigger.shipped(appender.lastBodyBytes());
    // Not fsynced: a leader's file is marked dirty, so a stale record after a power loss only
    // means a rebuild from the chain, never a wrong position.
    new LocalState(link.seq(), link.checksum().toHex(), epoch, true).writeUnsynced(db);
    return markShipped(upTo);
  }

  private boolean markShipped(long upTo) {
    ledger.markShipped(upTo);
    return true;
  }

  /** Ships {@code pages} as the next changeset on the caller's thread (the base image of seq 1). */
  public void shipNow(PageImages pages) {
    ChainLink link = appender.append(pages, this::stopped);
    if (link == null) {
      throw HadbException.notLeader("publishing stopped before the base image shipped", null);
    }
    new LocalState(link.seq(), link.checksum().toHex(), epoch, true).writeUnsynced(db);
  }

  private void fail(HadbException e) {
    ledger.fail(e, () -> {
      LOG.log(Level.ERROR, "publishing " + db + " stopped: " + e.getMessage());
      if (e.code() == ErrorCode.FENCED || e.code() == ErrorCode.CORRUPT) {
        leader.refuseWrites(e);
      }
    });
  }

  // ---- Shipping: what the engine's checkpointer asks of the shipper ----

  @Override
  public boolean ships() {
    return options.durability() != Durability.SNAPSHOT_ONLY;
  }

  @Override
  public boolean shipCommitted() {
    return shipPending(ledger.writes());
  }

  @Override
  public boolean stopped() {
    return !ledger.running();
  }

  @Override
  public long shippedSinceCheckpoint() {
    return shippedSinceCheckpoint;
  }

  @Override
  public void checkpointed() {
    shippedSinceCheckpoint = 0;
  }

  @Override
  public Pending captureLocked() {
    long upTo = ledger.writes();
    Captured c = capture.read();
    if (c.isEmpty()) {
      return () -> markShipped(upTo);
    }
    PageImages pages = c.pages();
    if (pages.pageCount() * pages.pageSize() <= CARRY_MAX_BYTES) {
      MemoryPages copy = MemoryPages.copyOf(pages);
      return () -> ship(copy, c.commits(), upTo);
    }
    return ship(pages, c.commits(), upTo) ? () -> markShipped(upTo) : null;
  }

  // ---- snapshots ----

  /** The database file's size, which scales a large database's snapshot counts (0 when unreadable: unscaled). */
  private static long sizeOf(Path db) {
    try {
      return java.nio.file.Files.size(db);
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  /** Called (on the shipper thread) when the policy says a snapshot is due. */
  public void onSnapshotDue(Runnable r) {
    snapshotDue = r;
  }

  private void checkSnapshotDue() {
    boolean busy = ledger.snapshotRequest() != null || snapshotHeld;
    if (trigger.fire(busy, !ships())) {
      snapshotDue.run();
    }
  }

  /** The snapshot a trigger asked for ended (stored or failed): look at the policy again. */
  public void scheduledSnapshotEnded() {
    trigger.ended();
    ledger.tick();
  }

  /**
   * Wakes the shipper once in a while so interval-based snapshots fire without writes (a flag:
   * a bare notify left the shipper waiting again, since it had nothing to ship).
   */
  public void tick() {
    ledger.tick();
  }

  /**
   * Asks the shipper for a consistent point to snapshot: everything committed is shipped, the
   * engine brings it into the file and keeps the file as it is (see
   * {@link Checkpointer#holdForSnapshot}) while the caller copies it ({@link #resumeCheckpoints}
   * when done).
   */
  public CompletableFuture<SnapshotPoint> requestSnapshotPoint() {
    return ledger.requestSnapshot();
  }

  /** The snapshot copy is done ({@code stored}: and in storage); the file may change again. */
  public void resumeCheckpoints(boolean stored) {
    snapshotHeld = false;
    checkpointer.release();
    if (stored) {
      trigger.stored();
    }
    // Changesets shipped during the copy still count toward the next trigger, but the shipper
    // looks at the policy only after a pass: wake it, or a trigger that fell due during the copy
    // waits for the next write (after a burst, that may be never).
    ledger.tick();
  }

  private void prepareSnapshotIfAsked() {
    CompletableFuture<SnapshotPoint> request = ledger.snapshotRequest();
    if (request == null) {
      return;
    }
    try {
      SnapshotPoint point = prepareSnapshot();
      ledger.clearSnapshotRequest();
      request.complete(point);
    } catch (RuntimeException e) {
      ledger.clearSnapshotRequest();
      snapshotHeld = false;
      checkpointer.release();
      request.completeExceptionally(e);
      if (!(e instanceof HadbException h) || h.code() != ErrorCode.UNAVAILABLE) {
        throw e;
      }
    }
  }

  /**
   * The engine holds the file at a point the chain has whole; what it captured meanwhile ships
   * now, and the snapshot point is the seq that ship gets. In SNAPSHOT_ONLY mode nothing ships:
   * the snapshot takes the next seq itself.
   */
  private SnapshotPoint prepareSnapshot() {
    Pending pending = checkpointer.holdForSnapshot(this);
    snapshotHeld = true;
    if (!ships()) {
      return new SnapshotPoint(appender.takeNextSeq(), Checksum.ZERO);
    }
    if (!pending.ship()) {
      throw HadbException.notLeader("publishing stopped before the snapshot point", null);
    }
    ChainHead head = appender.head();
    return new SnapshotPoint(head.seq(), head.checksum());
  }

  /** Stops shipping (an upload in flight is abandoned); waiters are released with UNKNOWN_OUTCOME. */
  @Override
  public void close() {
    ledger.stop(HadbException.notLeader("publishing stopped before the snapshot point", null));
    if (!started) {
      closeCheckpointer(); // never started: no shipper to close it
    } else if (pooled != null) {
      pooled.awaitEnd(10_000);
    } else {
      try {
        shipper.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Writes are refused by now, so the capture holds still: count what never reached the chain.
    long unread;
    try {
      unread = capture.unread();
    } catch (HadbException e) {
      unread = 0;
    }
    ledger.leftover(unread);
    capture.close();
    appender.close();
  }
}
