package io.hadb.engine.sqlite;

import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.engine.EngineProvider;
import io.hadb.chain.ChainKeys;
import io.hadb.chain.ChainReplicator;
import io.hadb.chain.EngineFile;
import io.hadb.engine.sqlite.internal.Connections;
import io.hadb.engine.sqlite.internal.DbFile;
import io.hadb.engine.sqlite.internal.DbHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.UnaryOperator;

/**
 * One SQLite database under replication: its {@link SqliteExecutor} and the chain's
 * {@link ChainReplicator} share the file, the write lock and the one raw channel on the file (see
 * {@code DbFile}); the replicator reaches SQLite through {@link SqliteFile}.
 */
public final class SqliteEngine implements EngineProvider.Engine {
  private final Path file;
  private final DbFile dbFile;
  private final SqliteExecutor executor;
  private final SqliteFile engineFile;
  private final ChainReplicator replicator;
  private final SqliteDialect dialect = new SqliteDialect();
  private boolean closed;

  private SqliteEngine(Path file, DbFile dbFile, SqliteExecutor executor, SqliteFile engineFile,
      ChainReplicator replicator) {
    this.file = file;
    this.dbFile = dbFile;
    this.executor = executor;
    this.engineFile = engineFile;
    this.replicator = replicator;
  }

  /**
   * Opens {@code file} as a follower copy replicated under {@code prefix} ("" or ending with
   * '/'; a missing trailing '/' is added). The file and its directory are created if absent.
   */
  public static SqliteEngine open(Path file, StorageBackend storage, String prefix, SqliteOptions options) {
    return open(file, storage, prefix, options, UnaryOperator.identity());
  }

  /**
   * As {@link #open(Path, StorageBackend, String, SqliteOptions)}, with the replicator seeing the
   * file through {@code parts}: a test replaces one part (the applier, the capture) to build a
   * deliberately broken engine and shows that a check catches it.
   */
  public static SqliteEngine open(Path file, StorageBackend storage, String prefix, SqliteOptions options,
      UnaryOperator<EngineFile> parts) {
    HadbException.requireArg(parts, "parts");
    HadbException.requireArg(file, "file");
    HadbException.requireArg(storage, "storage");
    HadbException.requireArg(prefix, "prefix");
    HadbException.requireArg(options, "options");
    ChainKeys keys = ChainKeys.of(prefix);
    Path abs = file.toAbsolutePath();
    try {
      Files.createDirectories(abs.getParent());
    } catch (java.io.IOException e) {
      throw HadbException.unavailable("cannot create the directory of " + abs + ": " + e.getMessage(), e);
    }
    leaveWalMode(abs, options);
    DbFile dbFile = new DbFile(abs);
    SqliteExecutor executor = null;
    SqliteFile engineFile = null;
    try {
      executor = new SqliteExecutor(abs, options);
      engineFile = new SqliteFile(abs, dbFile, executor, options);
      ChainReplicator replicator = new ChainReplicator(parts.apply(engineFile), SqliteFormat.INSTANCE, storage, keys,
          options.chain());
      return new SqliteEngine(abs, dbFile, executor, engineFile, replicator);
    } catch (RuntimeException e) {
      if (engineFile != null) {
        engineFile.closeApplier();
      }
      if (executor != null) {
        executor.close();
      }
      dbFile.close();
      throw e;
    }
  }

  /**
   * A file left in WAL mode (a leader that crashed) is folded back to rollback-journal mode
   * before anything else opens it: followers apply pages only to rollback-journal files.
   */
  private static void leaveWalMode(Path file, SqliteOptions options) {
    if (!Files.exists(file)) {
      return;
    }
    byte[] head = new byte[100];
    try (var in = Files.newInputStream(file)) {
      if (in.readNBytes(head, 0, 100) < 100 || DbHeader.pageSize(head) == 0 || head[18] != 2) {
        return;
      }
    } catch (java.io.IOException e) {
      throw HadbException.unavailable("cannot read " + file + ": " + e.getMessage(), e);
    }
    try (Connection c = Connections.openPlain(file, options.busyTimeoutMillis());
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=DELETE");
    } catch (SQLException e) {
      throw io.hadb.engine.sqlite.internal.SqlErrors.of(e, "PRAGMA journal_mode=DELETE");
    }
  }

  @Override
  public SqliteExecutor executor() {
    return executor;
  }

  @Override
  public ChainReplicator replicator() {
    return replicator;
  }

  @Override
  public SqliteDialect dialect() {
    return dialect;
  }

  public Path file() {
    return file;
  }

  /** Ships what is committed (leader), closes every connection, then the file channel. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      replicator.close();
    } finally {
      engineFile.closeApplier();
      executor.close();
      // Last: closing this channel earlier would drop SQLite's POSIX locks (DESIGN §6.5).
      dbFile.close();
    }
  }
}
