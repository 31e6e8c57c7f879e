package io.hadb.storage.local.internal;

import io.hadb.api.Keys;
import io.hadb.api.ListPage;
import io.hadb.storage.local.internal.ObjectLayout.Kind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Lists keys in lexicographic order of the whole key, which is not the order of a directory walk:
 * {@code "a-b" < "a/b" < "a0"}, because '-' sorts before '/' and '0' after it. Within one
 * directory every entry gets a sort string, its segment for an object and its segment plus '/'
 * for a prefix directory (all of whose keys start with that); sorting entries by it interleaves
 * objects and subtrees exactly as their keys sort.
 *
 * <p>Each directory is read whole (a file system has no ordered "names after X" call) but only
 * the smallest entries still needed are kept, so memory stays bounded by the page size however
 * large the directory; prefixes and {@code startAfter} prune whole subtrees.
 *
 * <p>A page shows each directory as it was read. An object deleted after its directory was read
 * is still listed: dropping it would mix two instants, "before the delete" for the objects that
 * are gone and "before the read" for those created since, and a directory that is never empty
 * (a chain of versions whose newest is written before the oldest is deleted, DESIGN §3.2) would
 * list empty. On Linux a directory of up to about 800 entries of hadb's names is read in one
 * {@code getdents64} call, which creates and deletes in that directory cannot interleave with, so
 * a page of such a directory is its state at one instant.
 */
public final class Lister {
  private static final System.Logger LOG = System.getLogger(Lister.class.getName());

  private final ObjectLayout layout;
  private final Duration staleTempAge;
  private final Consumer<Path> afterDirectoryRead;

  public Lister(ObjectLayout layout, Duration staleTempAge) {
    this(layout, staleTempAge, dir -> { });
  }

  /**
   * @param afterDirectoryRead runs after a directory was read and before its entries are looked
   *     at; tests change the directory there, as another process can at that moment
   */
  Lister(ObjectLayout layout, Duration staleTempAge, Consumer<Path> afterDirectoryRead) {
    this.layout = layout;
    this.staleTempAge = staleTempAge;
    this.afterDirectoryRead = afterDirectoryRead;
  }

  /** {@code prefix} is validated, {@code limit} checked. */
  public ListPage list(String prefix, Optional<String> startAfter, int limit) throws IOException {
    // One key beyond the page tells whether another page exists, so the last page says so.
    Walk w = new Walk(prefix, startAfter.orElse(null), limit + 1);
    String dirPrefix = prefix.substring(0, prefix.lastIndexOf('/') + 1);
    w.walk(layout.prefixDir(dirPrefix), dirPrefix);
    List<String> keys = w.out;
    if (keys.size() > limit) {
      return new ListPage(keys.subList(0, limit), Optional.of(keys.get(limit - 1)));
    }
    return new ListPage(keys, Optional.empty());
  }

  private record Entry(String name, Kind kind, String segment) {}

  private final class Walk {
    final String prefix;
    final String startAfter;
    final int need;
    final List<String> out = new ArrayList<>();

    Walk(String prefix, String startAfter, int need) {
      this.prefix = prefix;
      this.startAfter = startAfter;
      this.need = need;
    }

    void walk(Path dir, String keyPrefix) throws IOException {
      String cursor = null;
      while (out.size() < need) {
        int room = need - out.size();
        TreeMap<String, Entry> batch = smallestEntries(dir, keyPrefix, cursor, room);
        afterDirectoryRead.accept(dir);
        for (Map.Entry<String, Entry> e : batch.entrySet()) {
          if (out.size() >= need) {
            return;
          }
          Entry entry = e.getValue();
          Path p = dir.resolve(entry.name());
          if (entry.kind() == Kind.PREFIX_DIR) {
            walk(p, keyPrefix + entry.segment() + "/");
          } else if (wasObjectFile(p)) {
            out.add(keyPrefix + entry.segment());
          }
          cursor = e.getKey();
        }
        // Every object file adds a key, so a short batch means the directory is done; a full one
        // that did not fill the page held empty subtrees or foreign entries, and the rest of the
        // directory is read again.
        if (batch.size() < room) {
          return;
        }
      }
    }

    /** The {@code room} smallest entries of {@code dir} that sort after {@code cursor} and can hold wanted keys. */
    TreeMap<String, Entry> smallestEntries(Path dir, String keyPrefix, String cursor, int room)
        throws IOException {
      TreeMap<String, Entry> batch = new TreeMap<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        for (Path p : ds) {
          String name = p.getFileName().toString();
          Kind kind = ObjectLayout.classify(name);
          if (kind == Kind.TEMP) {
            removeIfStale(p);
            continue;
          }
          if (kind == Kind.FOREIGN) {
            continue;
          }
          String segment = ObjectLayout.segment(name, kind);
          String sort = kind == Kind.PREFIX_DIR ? segment + "/" : segment;
          if (cursor != null && sort.compareTo(cursor) <= 0) {
            continue;
          }
          String full = keyPrefix + sort;
          if (!(kind == Kind.PREFIX_DIR ? mayHoldWanted(full) : isWanted(full))) {
            continue;
          }
          if (batch.size() < room) {
            batch.put(sort, new Entry(name, kind, segment));
          } else if (sort.compareTo(batch.lastKey()) < 0) {
            batch.pollLastEntry();
            batch.put(sort, new Entry(name, kind, segment));
          }
        }
      } catch (NoSuchFileException | NotDirectoryException e) {
        // A prefix nobody wrote under (or a foreign file where a directory would be): no keys.
      }
      return batch;
    }

    boolean isWanted(String key) {
      return key.length() <= Keys.MAX_KEY_LENGTH
          && key.startsWith(prefix)
          && (startAfter == null || key.compareTo(startAfter) > 0);
    }

    /** Whether a subtree whose keys all start with {@code dirKeyPrefix} (ending in '/') may hold wanted keys. */
    boolean mayHoldWanted(String dirKeyPrefix) {
      boolean prefixOk = dirKeyPrefix.startsWith(prefix) || prefix.startsWith(dirKeyPrefix);
      boolean afterOk = startAfter == null
          || dirKeyPrefix.compareTo(startAfter) > 0
          || startAfter.startsWith(dirKeyPrefix);
      return prefixOk && afterOk && dirKeyPrefix.length() < Keys.MAX_KEY_LENGTH;
    }
  }

  /**
   * Whether an entry named like an object was an object file when its directory was read: a
   * directory or link of such a name is foreign. One deleted since counts as an object (only
   * objects are deleted under such names): the page shows the directory as read.
   */
  private static boolean wasObjectFile(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .isRegularFile();
    } catch (NoSuchFileException e) {
      return true;
    }
  }

  /**
   * A writer that crashed (kill -9, power loss) leaves its temp file behind; it is never listed,
   * and once untouched for {@code staleTempAge} it is removed here, where directories are read
   * anyway.
   */
  private void removeIfStale(Path temp) {
    try {
      Instant modified = Files.getLastModifiedTime(temp, LinkOption.NOFOLLOW_LINKS).toInstant();
      if (modified.plus(staleTempAge).isBefore(Instant.now())) {
        if (Files.deleteIfExists(temp)) {
          LOG.log(System.Logger.Level.INFO, "removed stale temp file " + temp + " (last modified " + modified + ")");
        }
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "could not check or remove temp file " + temp + ": " + e);
    }
  }
}
