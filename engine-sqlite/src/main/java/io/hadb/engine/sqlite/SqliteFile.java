package io.hadb.engine.sqlite;

import io.hadb.chain.Applier;
import io.hadb.chain.EngineFile;
import io.hadb.chain.LeaderFile;
import io.hadb.chain.PageImages;
import io.hadb.engine.sqlite.internal.Connections;
import io.hadb.engine.sqlite.internal.DbFile;
import io.hadb.engine.sqlite.internal.DbHeader;
import io.hadb.engine.sqlite.internal.FilePages;
import io.hadb.engine.sqlite.internal.PageApplier;
import java.nio.file.Path;
import java.util.concurrent.locks.Lock;

/**
 * One open SQLite database as the chain drives it: the one raw channel on the file (see
 * {@link DbFile}), the executor's write lock, the torn-read-free {@link PageApplier} while it
 * follows, and {@link SqliteLeader} while it leads.
 */
final class SqliteFile implements EngineFile {
  private final Path path;
  private final DbFile file;
  private final SqliteExecutor executor;
  private final SqliteOptions options;
  private PageApplier applier; // guarded by this; opened on first use, closed while leading

  SqliteFile(Path path, DbFile file, SqliteExecutor executor, SqliteOptions options) {
    this.path = path;
    this.file = file;
    this.executor = executor;
    this.options = options;
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public Lock writeLock() {
    return executor.writeLock();
  }

  @Override
  public long size() {
    return file.size();
  }

  @Override
  public int stamp() {
    return DbHeader.stampOf(file);
  }

  @Override
  public synchronized Applier applier() {
    if (applier == null) {
      applier = new PageApplier(file, options.busyTimeoutMillis());
    }
    return applier;
  }

  @Override
  public PageImages pages() {
    return FilePages.of(file);
  }

  /** A fresh applier: the file's content is replaced whatever it was (its counter included). */
  @Override
  public void replaceWith(PageImages pages) {
    closeApplier();
    applier().apply(pages);
  }

  /** In WAL mode an idle connection still pins the file; the writer needs none, so the applier goes. */
  @Override
  public LeaderFile lead() {
    closeApplier();
    executor.attachWriter(Connections.openWalWriter(path, options.busyTimeoutMillis()));
    executor.allowWrites();
    return new SqliteLeader(path, file, executor, options);
  }

  synchronized void closeApplier() {
    if (applier != null) {
      applier.close();
      applier = null;
    }
  }
}
