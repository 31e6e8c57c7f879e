package io.hadb.engine.sqlite;

import io.hadb.chain.Applier;
import io.hadb.chain.EngineFile;
import io.hadb.chain.LeaderFile;
import io.hadb.chain.PageImages;
import io.hadb.engine.sqlite.internal.Connections;
import io.hadb.engine.sqlite.internal.DbFile;
import io.hadb.engine.sqlite.internal.DbHeader;
import io.hadb.engine.sqlite.internal.FilePages;
import io.hadb.engine.sqlite.internal.IdleClose;
import io.hadb.engine.sqlite.internal.PageApplier;
import java.nio.file.Path;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

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
  private final ReentrantLock applyLock = new ReentrantLock(); // orders applies, opens and closes
  private PageApplier applier; // guarded by applyLock; opened on first use, closed while leading or idle
  private final IdleClose idleApplier; // null: the applier stays open until leading or close

  SqliteFile(Path path, DbFile file, SqliteExecutor executor, SqliteOptions options) {
    this.path = path;
    this.file = file;
    this.executor = executor;
    this.options = options;
    this.idleApplier = options.readIdleMs() > 0 && options.chain().threads().isPresent()
        ? new IdleClose(options.chain().threads().get().timer(), options.readIdleMs() * 1_000_000L, this::closeIdleApplier)
        : null;
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

  /**
   * Applies through the page applier, opened on first use; with a host's shared threads it is
   * closed again once idle for {@code readIdleMs} (a follower then holds only its {@link DbFile}).
   */
  @Override
  public Applier applier() {
    return this::apply;
  }

  private void apply(PageImages images) {
    applyLock.lock();
    try {
      if (applier == null) {
        applier = new PageApplier(file, options.busyTimeoutMillis());
      }
      applier.apply(images);
    } finally {
      applyLock.unlock();
    }
    if (idleApplier != null) {
      idleApplier.used();
    }
  }

  /** On the timer: closes the idle applier unless an apply holds it now (never waits). */
  private boolean closeIdleApplier() {
    if (!applyLock.tryLock()) {
      return false;
    }
    try {
      closeApplierLocked();
      return true;
    } finally {
      applyLock.unlock();
    }
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

  void closeApplier() {
    applyLock.lock();
    try {
      closeApplierLocked();
    } finally {
      applyLock.unlock();
    }
  }

  private void closeApplierLocked() {
    if (applier != null) {
      applier.close();
      applier = null;
    }
  }
}
