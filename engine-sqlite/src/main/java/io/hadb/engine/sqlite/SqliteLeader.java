package io.hadb.engine.sqlite;

import io.hadb.api.HadbException;
import io.hadb.chain.Capture;
import io.hadb.chain.Checkpointer;
import io.hadb.chain.LeaderFile;
import io.hadb.chain.PageImages;
import io.hadb.chain.WriteListener;
import io.hadb.engine.sqlite.internal.Connections;
import io.hadb.engine.sqlite.internal.DbFile;
import io.hadb.engine.sqlite.internal.FilePages;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A SQLite database while it leads: the file in WAL mode with the library's one write connection
 * attached (DESIGN §6.5), its commits captured from the WAL, its checkpoints kept behind the
 * chain.
 */
final class SqliteLeader implements LeaderFile {
  private static final System.Logger LOG = System.getLogger(SqliteLeader.class.getName());

  private final Path db;
  private final DbFile file;
  private final SqliteExecutor executor;
  private final Duration busyTimeout;
  private final SqliteCapture capture;
  private final WalCheckpoints checkpoints;

  SqliteLeader(Path db, DbFile file, SqliteExecutor executor, SqliteOptions options) {
    this.db = db;
    this.file = file;
    this.executor = executor;
    this.busyTimeout = options.busyTimeout();
    this.capture = new SqliteCapture(db);
    this.checkpoints = new WalCheckpoints(db, file, executor, capture.wal(), options);
  }

  @Override
  public Capture capture() {
    return capture;
  }

  @Override
  public Checkpointer checkpointer() {
    return checkpoints;
  }

  /** Checkpoints first, so the file alone is the whole database. */
  @Override
  public PageImages wholeFileLocked() {
    if (!checkpoints.checkpointLocked()) {
      throw HadbException.unavailable("could not checkpoint " + db + " before the base changeset"
          + " (a reader held the WAL)", null);
    }
    return FilePages.of(file);
  }

  @Override
  public void listen(WriteListener listener) {
    executor.setWriteListener(listener);
  }

  @Override
  public void refuseWrites(HadbException why) {
    executor.refuseWrites(why);
  }

  @Override
  public boolean resign() {
    Connection w = executor.writerOrNullLocked();
    executor.endCursorsLocked();
    boolean clean = w == null || toRollbackJournal(w);
    executor.detachWriterLocked();
    return clean;
  }

  /**
   * Folds the WAL into the file and leaves WAL mode: the follower applier needs a rollback-journal
   * file. In WAL mode every open connection holds a shared lock, so idle readers are closed first
   * and the switch is retried while a read is still running.
   */
  private boolean toRollbackJournal(Connection w) {
    long deadline = System.nanoTime() + busyTimeout.toNanos();
    while (true) {
      executor.readers().closeIdle();
      try (Statement s = w.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        String mode = Connections.single(s, "PRAGMA journal_mode=DELETE");
        if ("delete".equalsIgnoreCase(mode)) {
          return true;
        }
      } catch (SQLException e) {
        LOG.log(Level.DEBUG, "leaving WAL mode: " + e.getMessage());
      }
      if (System.nanoTime() > deadline) {
        LOG.log(Level.WARNING, "could not take " + db + " out of WAL mode (readers kept it busy)");
        return false;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
