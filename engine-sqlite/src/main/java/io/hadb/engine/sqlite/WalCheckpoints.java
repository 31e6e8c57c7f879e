package io.hadb.engine.sqlite;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.chain.Checkpointer;
import io.hadb.chain.Shipping;
import io.hadb.engine.sqlite.internal.DbFile;
import io.hadb.engine.sqlite.internal.WalHeader;
import io.hadb.engine.sqlite.internal.WalReader;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The leader's WAL checkpoints (DESIGN §6.5): no frame is folded into the file before it is in
 * the chain. Every {@code checkpointPages} shipped pages, in two steps:
 *
 * <ol>
 *   <li>While writers go on ({@link PinnedBackfill}): a read transaction pins what is committed,
 *       everything up to the pin ships, a PASSIVE checkpoint copies up to the pin and the file is
 *       fsynced. The bulk of the work.
 *   <li>Under the write lock, only when step 1 finds the log at {@link #RESTART_AFTER_CHECKPOINTS}
 *       × {@code checkpointPages} frames or more (a writer that never pauses): the frames committed
 *       meanwhile are captured, a RESTART checkpoint folds them (the log file is reused), the lock
 *       is released and the capture ships. Writers never wait for an upload.
 * </ol>
 *
 * <p>A snapshot holds the file: the same two steps, then no checkpoint until {@link #release()}.
 * Shipper thread only, apart from {@link #release()}.
 */
final class WalCheckpoints implements Checkpointer {
  private static final System.Logger LOG = System.getLogger(WalCheckpoints.class.getName());
  /**
   * The log is started over under the write lock only once a pass finds this many times
   * checkpointPages frames in it (a writer that never pauses; one that pauses lets the log start
   * over by itself): each such checkpoint stalls writers for two fsyncs, and the passes without
   * the lock keep the file current meanwhile.
   */
  private static final int RESTART_AFTER_CHECKPOINTS = 4;

  private final Path db;
  private final SqliteExecutor executor;
  private final WalReader wal;
  private final PinnedBackfill backfill;
  private final int checkpointPages;
  private volatile boolean held; // a snapshot is copying the file

  WalCheckpoints(Path db, DbFile file, SqliteExecutor executor, WalReader wal, SqliteOptions options) {
    this.db = db;
    this.executor = executor;
    this.wal = wal;
    this.backfill = new PinnedBackfill(db, file, options.busyTimeoutMillis());
    this.checkpointPages = options.checkpointPages();
  }

  /**
   * Checkpoints once enough shipped pages piled up. Without the lock first (step 1); then, only
   * for a long log, under the write lock: the frames committed since the last ship are captured
   * to memory, the WAL is checkpointed, the lock is released and the capture ships. (Waiting for
   * a moment with nothing pending would starve under a steady stream of writes.)
   */
  @Override
  public void afterShip(Shipping shipping) {
    if (shipping.shippedSinceCheckpoint() < checkpointPages || held) {
      return;
    }
    PinnedBackfill.Result pass = backfillWithoutLock(shipping);
    if (pass == null) {
      return;
    }
    if (pass.logFrames() >= 0 && pass.logFrames() < RESTART_AFTER_CHECKPOINTS * checkpointPages) {
      // No write lock yet: the log is still small, and a writer that pauses now and then lets a
      // pass copy it whole, after which the next commit starts it over by itself. Decided by
      // the size alone: a writer that began its next commit during such a pass appends instead,
      // and a rule that trusted "copied whole" let the log grow without end under SYNC commits.
      shipping.checkpointed();
      return;
    }
    if (executor.readers().openCursors() > 0) {
      // A cursor's snapshot may predate the log's end, and RESTART would then wait the busy
      // timeout for it with the write lock held: every writer stalls behind a caller reading
      // at its own pace. The log grows meanwhile; the first pass after the cursors close
      // starts it over.
      return;
    }
    Shipping.Pending pending;
    ReentrantLock lock = executor.writeLock();
    lock.lock();
    try {
      if (shipping.stopped() || held || !executor.hasWriter()) {
        return;
      }
      pending = shipping.captureLocked();
      if (pending == null) {
        return;
      }
      if (checkpointLocked()) {
        shipping.checkpointed();
      }
    } finally {
      lock.unlock();
    }
    pending.ship();
  }

  @Override
  public Shipping.Pending holdForSnapshot(Shipping shipping) {
    // The bulk of the checkpoint first, while writers go on (nothing ships in SNAPSHOT_ONLY).
    if (shipping.ships() && backfillWithoutLock(shipping) == null) {
      throw HadbException.notLeader("publishing stopped before the snapshot point", null);
    }
    Shipping.Pending pending = Shipping.Pending.NONE;
    ReentrantLock lock = executor.writeLock();
    lock.lock();
    try {
      if (shipping.ships()) {
        pending = shipping.captureLocked();
        if (pending == null) {
          throw HadbException.notLeader("publishing stopped before the snapshot point", null);
        }
      }
      if (!checkpointLocked()) {
        throw HadbException.unavailable("could not checkpoint " + db + " for a snapshot (a reader"
            + " held the WAL); try again", null);
      }
      shipping.checkpointed();
      held = true;
    } finally {
      lock.unlock();
    }
    return pending;
  }

  @Override
  public void release() {
    held = false;
  }

  /**
   * Step 1 (see {@link PinnedBackfill}): pin, ship what the pin sees, copy up to the pin. Returns
   * what SQLite reported, null when publishing stopped meanwhile. A pass that cannot pin or copy
   * (a connection that does not open, an I/O error) is logged and returns
   * {@link PinnedBackfill.Result#FAILED}, which leaves the whole copy to the checkpoint under the
   * lock.
   */
  private PinnedBackfill.Result backfillWithoutLock(Shipping shipping) {
    try {
      backfill.pin();
    } catch (SQLException | HadbException e) {
      LOG.log(Level.WARNING, "could not pin " + db + " for a checkpoint pass: " + e.getMessage());
      return PinnedBackfill.Result.FAILED;
    }
    try {
      if (!shipping.shipCommitted() || shipping.stopped()) { // a failed ship stops publishing
        return null; // stopPublishing needs the file to itself: no more checkpoint work
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

  /** Closes the pass's connections (the shipper thread ends). */
  @Override
  public void close() {
    backfill.close();
  }
}
