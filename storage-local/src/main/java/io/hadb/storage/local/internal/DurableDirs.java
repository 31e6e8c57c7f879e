package io.hadb.storage.local.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates the directories of a key's path so that they survive a power loss before any object in
 * them is acknowledged.
 *
 * <p>A new file is durable only when its directory entry is, and that directory's entry in its
 * parent, up to the root. The creator of a directory fsyncs the parent at once, but another
 * process may already be writing into the directory before that fsync lands; so whoever first
 * uses a directory fsyncs its parent itself, whoever created it. The directories this backend has
 * made durable are remembered: hadb never removes a directory (empty ones are ignored), so one
 * that was durable stays durable. If something outside hadb removes one, the next write
 * re-creates it and, having created it, fsyncs its parent again.
 */
public final class DurableDirs {
  /** Bounds the memory of a long-lived backend that touches very many prefixes. */
  private static final int MAX_REMEMBERED = 65_536;

  private final Path root;
  private final boolean fsync;
  private final Set<Path> durable = ConcurrentHashMap.newKeySet();

  public DurableDirs(Path root, boolean fsync) {
    this.root = root;
    this.fsync = fsync;
  }

  /** Makes sure {@code dir} (the root or below it) exists, and is durable when fsync is on. */
  public void ensure(Path dir) throws IOException {
    if (!fsync) {
      Files.createDirectories(dir);
      return;
    }
    if (dir.equals(root) || durable.contains(dir)) {
      return;
    }
    Path parent = root;
    for (Path name : root.relativize(dir)) {
      Path child = parent.resolve(name);
      if (!durable.contains(child)) {
        try {
          Files.createDirectory(child);
        } catch (FileAlreadyExistsException e) {
          if (!Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(child + " exists but is not a directory", e);
          }
        }
        fsyncDir(parent);
        if (durable.size() >= MAX_REMEMBERED) {
          durable.clear();
        }
        durable.add(child);
      }
      parent = child;
    }
  }

  /** Forgets every directory, for when one may have been removed behind our back. */
  public void forget() {
    durable.clear();
  }

  /** Persists the entries of {@code dir} (names created, replaced or removed in it). */
  public static void fsyncDir(Path dir) throws IOException {
    // Linux and the BSDs let a directory be opened read-only and fsynced; this is what makes a
    // rename or link(2) in it durable.
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /**
   * Creates {@code dir} and any missing parents, fsyncing the parent of each directory created,
   * for the root at open time. Returns whether anything was created.
   */
  public static boolean createDurably(Path dir, boolean fsync) throws IOException {
    if (Files.isDirectory(dir)) {
      return false;
    }
    Path missing = dir;
    while (missing.getParent() != null && !Files.exists(missing.getParent())) {
      missing = missing.getParent();
    }
    Files.createDirectories(dir);
    if (fsync) {
      for (Path p = dir; p != null && p.startsWith(missing); p = p.getParent()) {
        fsyncDir(p.getParent());
      }
    }
    return true;
  }
}
