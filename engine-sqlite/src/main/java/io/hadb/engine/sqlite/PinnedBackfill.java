package io.hadb.engine.sqlite;

import io.hadb.engine.sqlite.internal.Connections;
import io.hadb.engine.sqlite.internal.DbFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The bulk of a leader's checkpoint, done while writers go on committing: the shipped frames of
 * the WAL are copied into the database file and the file is fsynced, so the checkpoint that
 * later runs under the write lock ({@link WalCheckpoints#checkpointLocked}) has only the few frames
 * committed meanwhile left to copy. Plain SQLite checkpoints on the committing thread, and so
 * did we (under the write lock): in a batch insert that stalled the writer for about a third of
 * its time, a 4 MB copy and two fsyncs every thousand frames.
 *
 * <p>Why this never loses a frame from the chain (DESIGN §6.5: checkpoint only after shipping):
 *
 * <ul>
 *   <li><b>The pin bounds the copy.</b> {@link #pin} opens a read transaction on a connection of
 *       its own before the shipper reads the WAL, so every frame the pin sees is shipped before
 *       {@link #backfill} runs. A PASSIVE checkpoint never copies a frame past the snapshot of a
 *       reader that holds its read mark (SQLite's {@code mxSafeFrame}), and it never waits for
 *       anyone. If the pin got SQLite's read lock 0 instead (the WAL was wholly copied already
 *       when it started), the checkpoint cannot take that lock exclusively and copies nothing.
 *   <li><b>The WAL restarts only over copied frames.</b> A writer starts the log over only when
 *       every frame in it is copied, and a copied frame was shipped (the first point). While
 *       the pin holds a read mark, no writer can restart the log at all.
 *   <li>The one restart this allows that the shipper did not cause under the write lock, after a
 *       checkpoint here that copied the whole log, is announced to the WAL reader the same way
 *       ({@link io.hadb.engine.sqlite.internal.WalReader#expectRestart}).
 * </ul>
 *
 * <p>Shipper thread only. Its two connections (a read-only pin and a checkpointer, both with
 * {@code wal_autocheckpoint=0} like every library connection) close when the shipper ends,
 * before stopPublishing closes the writer, so neither is the last connection (whose close
 * checkpoints the log whatever {@code wal_autocheckpoint} says). One case is left: a shipper
 * stuck in an upload past stopPublishing's 10 s wait still holds them, so the stop finds the
 * file busy and counts as unclean; the leader's file is then marked dirty and rebuilt from the
 * chain before it publishes again, so nothing copied late is trusted.
 */
final class PinnedBackfill implements AutoCloseable {
  private final Path db;
  private final DbFile file;
  private final int busyTimeoutMs;
  private Connection pin;
  private Connection checkpointer;
  private boolean pinned;

  /**
   * What a checkpoint reported, as SQLite counts: {@code busy} (it could not finish: a reader or a
   * lock was in the way), frames in the log, and frames of it now in the database file (-1 when
   * SQLite does not say).
   */
  record Result(boolean busy, long logFrames, long copiedFrames) {
    /** A pass that could not run (logged): the checkpoint under the lock does it all. */
    static final Result FAILED = new Result(true, -1, -1);

    /** Reads the one row of {@code PRAGMA wal_checkpoint}. */
    static Result of(ResultSet rs) throws SQLException {
      return rs.next() ? new Result(rs.getInt(1) != 0, rs.getLong(2), rs.getLong(3)) : FAILED;
    }

    /**
     * Every frame in the log is in the file, so the next writer may start the log over; true
     * even when busy (a RESTART copies the whole log before it waits for readers, and returns
     * busy if one outlasts the busy timeout).
     */
    boolean logCopied() {
      return logFrames >= 0 && logFrames == copiedFrames;
    }
  }

  PinnedBackfill(Path db, DbFile file, int busyTimeoutMs) {
    this.db = db;
    this.file = file;
    this.busyTimeoutMs = busyTimeoutMs;
  }

  /**
   * Starts the pin: a read transaction at everything committed now. Call before reading the WAL
   * for the ship that must cover it.
   */
  void pin() throws SQLException {
    try {
      if (pin == null) {
        pin = Connections.openReader(db, busyTimeoutMs);
      }
      // Counted as pinned before the driver is asked: it records autocommit off before its
      // "begin;" runs, so after a failed begin a second setAutoCommit(false) would do nothing,
      // and the read below would pin nothing. A failure drops the connection instead.
      pinned = true;
      pin.setAutoCommit(false);
      try (Statement s = pin.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema")) {
        rs.next(); // reading a page starts SQLite's read transaction and takes the read mark
      }
    } catch (SQLException | RuntimeException e) {
      dropPin();
      throw e;
    }
  }

  /**
   * Copies the frames up to the pin into the database file and fsyncs the file; the caller has
   * shipped every frame the pin sees. Never waits for the writer or for readers.
   */
  Result backfill() throws SQLException {
    if (checkpointer == null) {
      checkpointer = Connections.openPlain(db, busyTimeoutMs);
    }
    Result r;
    try (Statement s = checkpointer.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      r = Result.of(rs);
    }
    if (r.copiedFrames() > 0) {
      // SQLite fsyncs the file only after copying the whole log. The pages copied here are
      // flushed now, outside the lock, so that fsync under the lock finds few left to write.
      file.force();
    }
    return r;
  }

  /** Ends the pin's read transaction (before a RESTART checkpoint, which waits for readers). */
  void unpin() {
    if (!pinned) {
      return;
    }
    pinned = false;
    try {
      pin.setAutoCommit(true);
    } catch (SQLException e) {
      dropPin(); // a pin that cannot end would block every later restart of the log
    }
  }

  private void dropPin() {
    pinned = false;
    Connections.closeQuietly(pin);
    pin = null;
  }

  @Override
  public void close() {
    unpin();
    Connections.closeQuietly(pin);
    Connections.closeQuietly(checkpointer);
    pin = null;
    checkpointer = null;
  }
}
