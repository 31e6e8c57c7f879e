package io.hadb.engine.duckdb;

import io.hadb.api.HadbException;
import io.hadb.chain.MemoryPages;
import io.hadb.chain.PageImages;
import io.hadb.engine.duckdb.internal.FileHeader;
import io.hadb.engine.duckdb.internal.FilePages;
import io.hadb.engine.duckdb.internal.Instance;
import io.hadb.engine.duckdb.internal.PageWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The follower's two copies of the file, alternating (DESIGN §6.6). A DuckDB instance assumes
 * its file never changes under it, so a batch is never written into the file readers have open:
 *
 * <ol>
 *   <li>the idle copy ({@code <file>.hadb-alt}) gets the pages it missed (the previous batch,
 *       kept in memory) and the new batch, and is synced: a few pages, not the whole file;
 *   <li>a read-only instance opens it under a name of its own ({@code <file>.hadb-open-<n>}, a
 *       hard link removed once open: DuckDB's driver hands a second open of a known path the
 *       instance it already has);
 *   <li>the file readers had is kept under {@code <file>.hadb-prev} (a hard link), the idle copy
 *       is renamed over the file (atomic), and readers switch to the new instance at once;
 *   <li>once the old instance's last reader is done it closes, and {@code .hadb-prev} becomes the
 *       next idle copy, one batch behind.
 * </ol>
 *
 * When the old instance is still busy, or nothing is known about the idle copy (after a restart),
 * the idle copy is a full copy of the file instead (slower, as correct). A crash leaves the file
 * as one complete state or the other; every scratch file is deleted when the database opens.
 */
final class FollowerCopies {
  private static final System.Logger LOG = System.getLogger(FollowerCopies.class.getName());
  private static final String ALT = ".hadb-alt";
  private static final String PREV = ".hadb-prev";
  private static final String OPEN = ".hadb-open-";
  private static final String SCRATCH_GLOB = ".hadb-*";
  private static final long PENDING_MAX_BYTES = 64L << 20;
  private static final AtomicLong NAMES = new AtomicLong(); // unique instance names in this process

  private final Path path;
  private final int readConnections;
  private final UnaryOperator<Instance> swapReaders;
  // guarded by this
  private MemoryPages missed; // what the idle copy lacks once .hadb-prev becomes it; null = unknown
  private Instance previous; // the instance on .hadb-prev
  private long fullCopies;
  private FileChannel guard; // open on the readers' file while following: see guard()
  private Object guardKey; // the file guard is open on (its inode)

  FollowerCopies(Path path, int readConnections, UnaryOperator<Instance> swapReaders) {
    this.path = path;
    this.readConnections = readConnections;
    this.swapReaders = swapReaders;
  }

  /** Deletes every scratch file a previous run left beside {@code path}. */
  static void deleteScratch(Path path) {
    Path dir = path.getParent();
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, path.getFileName() + SCRATCH_GLOB)) {
      for (Path p : ds) {
        DuckdbFile.deleteQuietly(p);
      }
    } catch (IOException e) {
      throw HadbException.unavailable("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Opens the file read-only for the readers, at open or after a demotion, and guards it. */
  synchronized Instance openReaders() {
    Instance i = openReadOnly(path);
    guard();
    return i;
  }

  /**
   * Keeps one channel open on the file the readers' instance has open, until the next file
   * replaces it. POSIX file locks belong to the process, and closing <em>any</em> descriptor of a
   * file drops all of them: a channel opened to read the header and closed again would drop the
   * lock DuckDB's read-only instance holds, and another process could then open the file
   * read-write under our readers. So the follower reads its file only through this channel, and
   * closes it only once the file it is on is no longer the readers' (its lock no longer matters).
   */
  synchronized void guard() {
    unguard();
    try {
      if (!Files.exists(path)) {
        return;
      }
      guardKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      guard = FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException e) {
      throw HadbException.unavailable("cannot open " + path + ": " + e.getMessage(), e);
    }
  }

  /** Closes the guard; the caller is about to put another instance (or a leader) on the file. */
  synchronized void unguard() {
    FileChannel g = guard;
    guard = null;
    guardKey = null;
    if (g != null) {
      try {
        g.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing " + path + ": " + e.getMessage());
      }
    }
  }

  /**
   * The readers' file's stamp, read through the guard; {@link Integer#MIN_VALUE} when the path
   * now names another file than the one guarded (replaced outside the library), -1 when it is
   * gone or was never guarded and is absent.
   */
  synchronized int stamp() {
    if (guard == null) {
      guard(); // opens nothing when the path is absent
      if (guard == null) {
        return -1;
      }
    }
    try {
      Object now = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      if (guardKey != null && !guardKey.equals(now)) {
        return Integer.MIN_VALUE;
      }
    } catch (NoSuchFileException e) {
      return -1;
    } catch (IOException e) {
      throw HadbException.unavailable("cannot read the attributes of " + path + ": " + e.getMessage(), e);
    }
    return FileHeader.stamp(guard);
  }

  /** Opens {@code file} read-only under a unique name (a hard link, removed once open). */
  Instance openReadOnly(Path file) {
    Path link = path.resolveSibling(path.getFileName() + OPEN + ProcessHandle.current().pid() + "-"
        + NAMES.incrementAndGet());
    try {
      Files.createLink(link, file);
      return Instance.open(link, true, readConnections);
    } catch (IOException e) {
      throw HadbException.unavailable("cannot link " + link + " to " + file + ": " + e.getMessage(), e);
    } finally {
      DuckdbFile.deleteQuietly(link);
    }
  }

  /** Applies {@code images} (the whole content when {@code whole}) through the idle copy. */
  synchronized void apply(PageImages images, boolean whole) {
    Path alt = sibling(ALT);
    MemoryPages batch = images.pageCount() * images.pageSize() <= PENDING_MAX_BYTES ? MemoryPages.copyOf(images) : null;
    try {
      boolean reclaimed = !whole && reclaimPrevious(alt);
      try (FileChannel out = FileChannel.open(alt, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE)) {
        if (whole) {
          out.truncate(0);
        } else if (reclaimed) {
          PageWriter.write(path, out, missed);
        } else {
          fullCopy(out);
        }
        PageWriter.write(path, out, batch != null ? batch : images);
        FileHeader.requireDuckdb(path, out);
        out.force(true);
      }
    } catch (IOException e) {
      forget(alt);
      throw HadbException.unavailable("cannot write " + alt + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      forget(alt);
      throw e;
    }
    Instance next;
    try {
      next = FilePages.size(alt) == 0 ? Instance.empty(readConnections) : openReadOnly(alt);
    } catch (RuntimeException e) {
      forget(alt);
      throw e;
    }
    Path prev = sibling(PREV);
    try {
      DuckdbFile.deleteQuietly(prev);
      if (Files.exists(path)) {
        Files.createLink(prev, path);
      }
      Files.move(alt, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      DuckdbFile.syncDirectory(path.getParent());
    } catch (IOException e) {
      next.retire();
      forget(alt);
      throw HadbException.unavailable("cannot rename " + alt + " to " + path + ": " + e.getMessage(), e);
    }
    guard(); // closes the channel on the previous file, whose instance is retiring
    previous = swapReaders.apply(next);
    missed = batch;
  }

  /**
   * Makes the previous file the idle copy when its instance has closed and what it missed is
   * known (the caller then writes those pages into it). False when the caller must copy the
   * file whole.
   */
  private boolean reclaimPrevious(Path alt) throws IOException {
    Path prev = sibling(PREV);
    if (missed == null || !Files.exists(prev) || previous != null && !previous.awaitClosed(0)) {
      return false;
    }
    Files.move(prev, alt, StandardCopyOption.REPLACE_EXISTING);
    return true;
  }

  private void fullCopy(FileChannel out) throws IOException {
    fullCopies++;
    out.truncate(0);
    if (FilePages.size(path) == 0) {
      return;
    }
    if (guard != null) {
      copy(guard, out); // not a channel of its own: closing one would drop the readers' lock
      return;
    }
    try (FileChannel src = FileChannel.open(path, StandardOpenOption.READ)) {
      copy(src, out);
    }
  }

  private static void copy(FileChannel src, FileChannel out) throws IOException {
    long n = src.size();
    long done = 0;
    src.position(0); // transferFrom reads from the source's position (the guard's is shared)
    while (done < n) {
      done += out.transferFrom(src, done, n - done);
    }
  }

  private void forget(Path alt) {
    missed = null;
    DuckdbFile.deleteQuietly(alt);
  }

  /** Leading from now on: the scratch copies are stale, and the leader reads its file through a channel of its own. */
  synchronized void drop() {
    unguard();
    missed = null;
    previous = null;
    DuckdbFile.deleteQuietly(sibling(ALT));
    DuckdbFile.deleteQuietly(sibling(PREV));
  }

  /** How often the idle copy had to be a full copy of the file (tests and figures). */
  synchronized long fullCopies() {
    return fullCopies;
  }

  private Path sibling(String suffix) {
    return path.resolveSibling(path.getFileName() + suffix);
  }
}
