package io.hadb.storage.local;

import io.hadb.api.BodySource;
import io.hadb.api.HadbException;
import io.hadb.api.Keys;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.storage.local.internal.DurableDirs;
import io.hadb.storage.local.internal.Lister;
import io.hadb.storage.local.internal.ObjectInputStream;
import io.hadb.storage.local.internal.ObjectLayout;
import io.hadb.storage.local.internal.TempFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link StorageBackend} on a local directory ({@code file:} scheme).
 *
 * <ul>
 *   <li><b>Atomic objects.</b> Every write goes to a temp file in the object's own directory, is
 *       fsynced, and only then gets the object's name, with rename(2) for {@link #put} and
 *       link(2) for {@link #putIfAbsent}; then the directory is fsynced. A reader, even after a
 *       crash of the writer, sees the whole old object or the whole new one.
 *   <li><b>putIfAbsent is atomic across processes</b> without any lock: link(2) fails when the
 *       name exists, in the kernel, whoever else is racing (rename(2) would silently replace).
 *   <li><b>Streams see one version.</b> {@link #getStream} holds the open file; a replacement is a
 *       new file under the same name, and a delete only unlinks the name (POSIX semantics).
 * </ul>
 *
 * <p>Layout and naming are in {@link ObjectLayout}; listing order in {@link Lister}.
 */
public final class LocalStorageBackend implements StorageBackend {
  private static final System.Logger LOG = System.getLogger(LocalStorageBackend.class.getName());

  private final LocalStorageConfig config;
  private final ObjectLayout layout;
  private final DurableDirs dirs;
  private final Lister lister;
  private final AtomicBoolean closed = new AtomicBoolean();

  private LocalStorageBackend(LocalStorageConfig config) {
    this.config = config;
    this.layout = new ObjectLayout(config.root());
    this.dirs = new DurableDirs(config.root(), config.fsync());
    this.lister = new Lister(layout, config.staleTempAge());
  }

  /**
   * Opens the store at {@code config.root()}, creating it when missing and {@code create} is on.
   * Fails with {@code INVALID_ARGUMENT} naming the path when the root is missing (and may not be
   * created), is not a directory, is not writable, or lives on a file system that cannot keep
   * the guarantees (case-insensitive names, no hard links).
   */
  public static LocalStorageBackend open(LocalStorageConfig config) {
    HadbException.requireArg(config, "config");
    Path root = config.root();
    try {
      if (Files.exists(root) && !Files.isDirectory(root)) {
        throw HadbException.invalidArgument("storage root " + root + " exists but is not a directory");
      }
      if (!Files.exists(root)) {
        if (!config.create()) {
          throw HadbException.invalidArgument(
              "storage root " + root + " does not exist (and create=false)");
        }
        DurableDirs.createDurably(root, config.fsync());
        LOG.log(System.Logger.Level.INFO, "created storage root " + root);
      }
      probe(root);
    } catch (AccessDeniedException e) {
      throw HadbException.invalidArgument(
          "storage root " + root + " is not writable (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw HadbException.invalidArgument(
          "storage root " + root + " cannot be used: " + e);
    }
    return new LocalStorageBackend(config);
  }

  /**
   * Proves the root is writable and keeps the guarantees, with real operations: a write (access(2)
   * says yes to root even on a read-only mount), link(2) (some file systems refuse hard links, and
   * putIfAbsent rests on them) and case sensitivity (keys "A" and "a" must be two objects).
   */
  private static void probe(Path root) throws IOException {
    Path a = TempFile.newName(root, "probe-a");
    Path upper = a.resolveSibling(a.getFileName().toString().toUpperCase(java.util.Locale.ROOT));
    Path link = TempFile.newName(root, "probe-l");
    try {
      Files.write(a, new byte[] {1}, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      if (Files.exists(upper, LinkOption.NOFOLLOW_LINKS)) {
        throw HadbException.invalidArgument(
            "storage root " + root + " is on a case-insensitive file system; keys differing only"
                + " in case would collide");
      }
      try {
        Files.createLink(link, a);
      } catch (UnsupportedOperationException | IOException e) {
        if (e instanceof AccessDeniedException) {
          throw (AccessDeniedException) e;
        }
        throw HadbException.invalidArgument(
            "storage root " + root + " is on a file system without hard links, which atomic"
                + " putIfAbsent needs: " + e);
      }
    } finally {
      Files.deleteIfExists(link);
      Files.deleteIfExists(a);
    }
  }

  public LocalStorageConfig config() {
    return config;
  }

  @Override
  public Optional<InputStream> getStream(String key) {
    Path file = objectPath(key);
    try {
      BasicFileAttributes attrs =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attrs.isRegularFile()) {
        return Optional.empty();
      }
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
      return Optional.of(new ObjectInputStream(ch, key, file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure("reading", key, file, e);
    }
  }

  @Override
  public void put(String key, BodySource body) {
    Path file = objectPath(key);
    HadbException.requireArg(body, "body");
    TempFile temp = writeTemp(key, file, body);
    try {
      // rename(2) replaces the name atomically: readers see the old file or the new one.
      Files.move(temp.path(), file, StandardCopyOption.ATOMIC_MOVE);
      if (config.fsync()) {
        DurableDirs.fsyncDir(file.getParent());
      }
    } catch (IOException e) {
      throw failure("writing", key, file, e);
    } finally {
      temp.discard();
    }
  }

  @Override
  public boolean putIfAbsent(String key, BodySource body) {
    Path file = objectPath(key);
    HadbException.requireArg(body, "body");
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return false; // saves writing the body; the link below is what decides a race
    }
    TempFile temp = writeTemp(key, file, body);
    try {
      try {
        // link(2) fails with EEXIST if the name exists: the kernel picks exactly one winner among
        // every thread and process racing, and the winner's bytes are already complete and synced.
        Files.createLink(file, temp.path());
      } catch (FileAlreadyExistsException e) {
        if (!linkedAnyway(temp.path())) {
          return false;
        }
      } catch (IOException e) {
        throw failure("writing", key, file, e);
      }
      temp.discard();
      if (config.fsync()) {
        try {
          DurableDirs.fsyncDir(file.getParent());
        } catch (IOException e) {
          // The object is visible, and ours, but may not survive a power loss: neither "won" nor
          // "lost" is certain, so the caller must read before deciding (DESIGN §3.1 L-ambiguous).
          throw HadbException.unknownOutcome(
              "object " + key + " was created at " + file + " but fsync of its directory failed: " + e, e);
        }
      }
      return true;
    } finally {
      temp.discard();
    }
  }

  /**
   * NFS may answer a retried LINK request whose first attempt landed with EEXIST; the temp file's
   * link count then shows the link is ours (the check open(2)'s manual gives for lock files). On a
   * local file system the count is 1 after EEXIST, always.
   */
  private static boolean linkedAnyway(Path temp) {
    try {
      Object n = Files.getAttribute(temp, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
      return n instanceof Integer && (Integer) n >= 2;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public ListPage list(String prefix, Optional<String> startAfter, int limit) {
    checkOpen();
    Keys.validatePrefix(prefix);
    HadbException.requireArg(startAfter, "startAfter");
    StorageBackend.checkLimit(limit);
    try {
      return lister.list(prefix, startAfter, limit);
    } catch (IOException e) {
      throw HadbException.unavailable(
          "listing prefix \"" + prefix + "\" under " + config.root() + " failed: " + e, e);
    }
  }

  @Override
  public void delete(String key) {
    Path file = objectPath(key);
    try {
      if (Files.deleteIfExists(file) && config.fsync()) {
        DurableDirs.fsyncDir(file.getParent());
      }
      // Empty directories stay: removing them would race with writers creating files in them
      // and make directory durability much harder to know (see DurableDirs). Listings skip them.
    } catch (IOException e) {
      throw failure("deleting", key, file, e);
    }
  }

  @Override
  public void close() {
    closed.set(true);
  }

  @Override
  public String toString() {
    return "LocalStorageBackend[" + config.root() + (config.fsync() ? "" : ", fsync=false") + "]";
  }

  private Path objectPath(String key) {
    checkOpen();
    Keys.validate(key);
    return layout.objectPath(key);
  }

  private void checkOpen() {
    if (closed.get()) {
      throw HadbException.closed("storage " + config.root());
    }
  }

  /** Writes the whole body to a synced temp file next to {@code file}, ready to publish. */
  private TempFile writeTemp(String key, Path file, BodySource body) {
    Path dir = file.getParent();
    // Only a directory removed from outside can vanish between ensure() and the create; retry
    // then, after forgetting what we believed durable.
    for (int attempt = 1; ; attempt++) {
      try {
        dirs.ensure(dir);
        return TempFile.write(dir, key, body, config.fsync());
      } catch (NoSuchFileException e) {
        if (attempt >= 3) {
          throw failure("writing", key, file, e);
        }
        dirs.forget();
      } catch (IOException e) {
        throw failure("writing", key, file, e);
      }
    }
  }

  private static HadbException failure(String doing, String key, Path file, IOException e) {
    return HadbException.unavailable(doing + " object " + key + " at " + file + " failed: " + e, e);
  }
}
