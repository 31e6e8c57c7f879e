package io.hadb.engine.duckdb;

import io.hadb.api.HadbException;
import io.hadb.chain.Applier;
import io.hadb.chain.EngineFile;
import io.hadb.chain.LeaderFile;
import io.hadb.chain.PageImages;
import io.hadb.engine.duckdb.internal.FileHeader;
import io.hadb.engine.duckdb.internal.FilePages;
import io.hadb.engine.duckdb.internal.Instance;
import io.hadb.engine.duckdb.internal.PageHashes;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;

/**
 * One DuckDB database as the chain drives it (DESIGN §6.6). A DuckDB instance assumes its file
 * never changes under it, so a follower never writes a file an instance has open: each verified
 * batch goes to an idle copy that then replaces the file, and readers switch to a new instance
 * on it at once ({@link FollowerCopies}). A crash leaves one complete file and scratch copies,
 * deleted on reopen; the chain then applies the batch again.
 *
 * <p>While leading, one read-write instance owns the file; see {@link DuckdbLeader}.
 */
final class DuckdbFile implements EngineFile {
  private static final System.Logger LOG = System.getLogger(DuckdbFile.class.getName());
  private static final String STAGED = ".hadb-next-"; // matches the scratch files deleted on open
  private static final AtomicLong GENERATION = new AtomicLong(); // unique instance names in this process

  private final Path path;
  private final DuckdbExecutor executor;
  private final DuckdbOptions options;
  private final FollowerCopies copies;
  // guarded by executor.writeLock(): the leading state
  private Instance readWrite;
  private FileChannel leaderChannel; // the one channel on a leader's file: closing another drops DuckDB's lock
  private Instance lastReadWrite; // a demoted instance, which must be closed before the path opens again

  DuckdbFile(Path path, DuckdbExecutor executor, DuckdbOptions options, FollowerCopies copies) {
    this.path = path;
    this.executor = executor;
    this.options = options;
    this.copies = copies;
  }

  /**
   * What readers see first: a leftover staged copy is deleted and a WAL left by a leader that
   * crashed is dropped (its commits never reached the chain: the leader checkpoints before it
   * ships); the file then opens read-only under a unique link name, or an empty database stands
   * in while there is no file.
   */
  static Instance openReaders(Path path, DuckdbOptions options, FollowerCopies copies) {
    FollowerCopies.deleteScratch(path);
    Path wal = wal(path);
    if (Files.exists(wal)) {
      LOG.log(System.Logger.Level.WARNING, "dropping " + wal + ", left by a leader that stopped: its commits"
          + " never reached the chain");
      deleteQuietly(wal);
    }
    if (FilePages.size(path) == 0) {
      return Instance.empty(options.readConnections());
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      FileHeader.requireDuckdb(path, ch);
    } catch (IOException e) {
      throw HadbException.unavailable("cannot read " + path + ": " + e.getMessage(), e);
    }
    return copies.openReaders();
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
    return FilePages.size(path);
  }

  @Override
  public int stamp() {
    FileChannel own = leaderChannel;
    return own != null ? FileHeader.stamp(own) : copies.stamp();
  }

  @Override
  public Applier applier() {
    return images -> {
      requireFollowing();
      copies.apply(images, false);
    };
  }

  @Override
  public PageImages pages() {
    FileChannel own = leaderChannel;
    return own != null ? FilePages.of(path, own) : FilePages.of(path);
  }

  @Override
  public void replaceWith(PageImages pages) {
    requireFollowing();
    copies.apply(pages, true);
  }

  private void requireFollowing() {
    if (leaderChannel != null) {
      throw HadbException.corrupt("a batch from the chain reached " + path + " while it leads");
    }
  }

  /**
   * Opens the file read-write and makes it the leader's (DESIGN §6.6). The record of what the
   * chain holds is taken from the file before DuckDB opens it, so anything DuckDB writes on
   * opening ships too. Readers move to the new instance; writes start once the follower's
   * read-only instance has closed, since the writer's checkpoints reuse blocks it may read.
   */
  @Override
  public LeaderFile lead() {
    Lock lock = executor.writeLock();
    lock.lock();
    try {
      awaitDemotedClosed();
      copies.drop();
      PageHashes hashes = new PageHashes();
      if (size() > 0) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
          FileHeader.requireDuckdb(path, ch);
          hashes.reset(ch);
        } catch (IOException e) {
          throw HadbException.unavailable("cannot read " + path + ": " + e.getMessage(), e);
        }
      }
      Instance rw = Instance.open(path, false, options.readConnections());
      FileChannel ch;
      try {
        ch = FileChannel.open(path, StandardOpenOption.READ);
      } catch (IOException e) {
        rw.retire();
        throw HadbException.unavailable("cannot read " + path + ": " + e.getMessage(), e);
      }
      Instance old = executor.swapReaders(rw);
      if (old != null && !old.awaitClosed(options.busyTimeoutMillis())) {
        LOG.log(System.Logger.Level.WARNING, "a reader of " + path + " still runs on the follower's instance after "
            + options.busyTimeoutMillis() + " ms; writes start anyway");
      }
      readWrite = rw;
      leaderChannel = ch;
      executor.attachWriter(rw);
      return new DuckdbLeader(this, executor, hashes);
    } finally {
      lock.unlock();
    }
  }

  FileChannel leaderChannel() {
    return leaderChannel;
  }

  /**
   * Back to following; the caller holds the write lock and the capture is closed. Readers move to
   * a read-only instance on a staged copy of the file as it is (everything shipped); the
   * read-write instance closes after its last reader, on the file it had open. False when its
   * log held commits that never shipped: the chain then rebuilds the file.
   */
  boolean resign() {
    executor.detachWriter();
    boolean clean = FilePages.size(wal(path)) == 0;
    Path next = staged(path);
    Instance ro;
    try {
      try (FileChannel out = FileChannel.open(next, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        long n = leaderChannel.size();
        long done = 0;
        while (done < n) {
          done += leaderChannel.transferTo(done, n - done, out);
        }
        out.force(true);
      }
      ro = Instance.open(next, true, options.readConnections());
      Files.move(next, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(path.getParent());
    } catch (IOException | RuntimeException e) {
      deleteQuietly(next);
      LOG.log(System.Logger.Level.WARNING, "demoting " + path + ": " + e.getMessage() + "; readers stay empty"
          + " until the chain rebuilds the file");
      ro = Instance.empty(options.readConnections());
      clean = false;
    }
    executor.swapReaders(ro);
    copies.guard(); // before the leader's channel closes: that drops the locks of the old file only
    lastReadWrite = readWrite;
    readWrite = null;
    try {
      leaderChannel.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing " + path + ": " + e.getMessage());
    }
    leaderChannel = null;
    awaitDemotedClosed();
    return clean;
  }

  /** The path may open read-write again only once the demoted instance has closed. */
  private void awaitDemotedClosed() {
    Instance last = lastReadWrite;
    if (last == null) {
      return;
    }
    if (!last.awaitClosed(options.busyTimeoutMillis())) {
      throw HadbException.unavailable("the previous read-write DuckDB instance of " + path + " still has readers"
          + " after " + options.busyTimeoutMillis() + " ms; try again", null);
    }
    lastReadWrite = null;
  }

  static Path wal(Path path) {
    return path.resolveSibling(path.getFileName() + ".wal");
  }

  private static Path staged(Path path) {
    return path.resolveSibling(path.getFileName() + STAGED + ProcessHandle.current().pid() + "-"
        + GENERATION.incrementAndGet());
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot delete " + p + ": " + e.getMessage());
    }
  }

  static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "syncing directory " + dir + ": " + e.getMessage());
    }
  }
}
