package io.hadb.storage.local.internal;

import io.hadb.api.HadbException;
import io.hadb.api.Keys;
import java.nio.file.Path;

/**
 * Where each key lives under the root, and what each directory entry is.
 *
 * <p>S3 lets {@code a/b} be an object while {@code a/b/c} is another, but a file system cannot
 * have a file and a directory both named {@code b}. So every directory that holds keys of a
 * prefix is named after the segment plus {@value #DIR_SUFFIX}, a character {@link Keys} forbids:
 * key {@code a/b} is the file {@code a%/b} and key {@code a/b/c} is the file {@code a%/b%/c}.
 * Object files keep the key's own last segment as their name, so an operator can copy a snapshot
 * out with ordinary tools.
 *
 * <p>Temp files start with {@value #TEMP_PREFIX}, also forbidden in keys: a temp file can never
 * be taken for an object, never collide with one, and is never listed.
 */
public final class ObjectLayout {
  public static final char DIR_SUFFIX = '%';
  public static final char TEMP_PREFIX = '~';

  /** What a name found in a directory stands for. */
  public enum Kind {
    /** A file whose name is the last segment of a key. */
    OBJECT,
    /** A directory holding the keys of the prefix {@code segment + "/"}. */
    PREFIX_DIR,
    /** A temp file of a write in progress or of a crashed writer. */
    TEMP,
    /** Anything hadb did not create (lost+found, editor files, bad names): ignored. */
    FOREIGN
  }

  private final Path root;

  public ObjectLayout(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** The file of a key already checked with {@link Keys#validate}. */
  public Path objectPath(String key) {
    int slash = key.lastIndexOf('/');
    Path dir = slash < 0 ? root : prefixDir(key.substring(0, slash + 1));
    return checkInside(dir.resolve(key.substring(slash + 1)), key);
  }

  /**
   * The directory holding the keys that start with {@code dirPrefix}, which is empty or ends with
   * '/' and is made of valid segments.
   */
  public Path prefixDir(String dirPrefix) {
    Path dir = root;
    int start = 0;
    while (start < dirPrefix.length()) {
      int slash = dirPrefix.indexOf('/', start);
      dir = dir.resolve(dirPrefix.substring(start, slash) + DIR_SUFFIX);
      start = slash + 1;
    }
    return checkInside(dir, dirPrefix);
  }

  /**
   * Keys are validated before they get here, so no segment is "..": this is a second, independent
   * guard that no key can ever address a path outside the root.
   */
  private Path checkInside(Path p, String key) {
    Path n = p.normalize();
    if (!n.startsWith(root) || n.equals(root) && !key.isEmpty()) {
      throw HadbException.invalidArgument("key \"" + key + "\" would leave the store root " + root);
    }
    return n;
  }

  public static Kind classify(String name) {
    if (name.isEmpty()) {
      return Kind.FOREIGN;
    }
    if (name.charAt(0) == TEMP_PREFIX) {
      return Kind.TEMP;
    }
    if (name.charAt(name.length() - 1) == DIR_SUFFIX) {
      return isSegment(name, name.length() - 1) ? Kind.PREFIX_DIR : Kind.FOREIGN;
    }
    return isSegment(name, name.length()) ? Kind.OBJECT : Kind.FOREIGN;
  }

  /** The key segment a directory entry stands for (its name without {@link #DIR_SUFFIX}). */
  public static String segment(String name, Kind kind) {
    return kind == Kind.PREFIX_DIR ? name.substring(0, name.length() - 1) : name;
  }

  private static boolean isSegment(String name, int end) {
    if (end == 0 || end > Keys.MAX_SEGMENT_LENGTH) {
      return false;
    }
    String s = name.substring(0, end);
    if (s.equals(".") || s.equals("..")) {
      return false;
    }
    for (int i = 0; i < end; i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-' || c == '=' || c == '+' || c == ',' || c == '@';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
