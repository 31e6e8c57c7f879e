package io.hadb.lease.storage.internal;

import io.hadb.api.HadbException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * Where the versions of a register live in the storage namespace.
 *
 * <pre>
 * {root}{n}/{key}/{19-digit inverted version}     keys up to 200 characters, n = its segment count
 * {root}h/{SHA-256 of key, hex}/{inverted version} longer keys
 * </pre>
 *
 * <p>Why this shape:
 * <ul>
 *   <li><b>One listing finds the newest.</b> The last segment is {@code Long.MAX_VALUE - version},
 *       zero-padded to 19 digits, so the newest version sorts first and {@code list(dir, 1)}
 *       returns it.
 *   <li><b>No register sees another's versions.</b> The listing prefix of key {@code K} is
 *       {@code n/K/}. Another key's objects start with that only if its segment count is {@code n}
 *       and it starts with {@code K/}, which would give it more than {@code n} segments: so the
 *       directory of {@code a} never holds versions of {@code a/b}. Hashed keys live under
 *       {@code h/}, which no count is.
 *   <li><b>No object is another's directory.</b> Under {@code n/} every object name has exactly
 *       {@code n + 2} segments, so stores that keep objects as files (a local directory,
 *       S3Proxy) never need a file and a directory of one name.
 *   <li><b>Names stay short.</b> Long keys are hashed, so every name fits S3's 1024-byte limit
 *       under a reasonable root; each object also stores its full key, checked on read.
 * </ul>
 */
public final class Layout {
  /** Keys longer than this are stored under their hash. */
  public static final int READABLE_KEY_MAX = 200;
  private static final int DIGITS = 19;

  private final String root;

  /** @param root "" or a prefix ending with '/' under which every register lives */
  public Layout(String root) {
    this.root = root;
  }

  /** The listing prefix holding every version of {@code key}, ending with '/'. */
  public String dir(String key) {
    if (key.length() <= READABLE_KEY_MAX) {
      int segments = 1;
      for (int i = 0; i < key.length(); i++) {
        if (key.charAt(i) == '/') {
          segments++;
        }
      }
      return root + segments + "/" + key + "/";
    }
    return root + "h/" + sha256Hex(key) + "/";
  }

  /** The object holding {@code version} of {@code key}. */
  public String object(String key, long version) {
    return dir(key) + versionSegment(version);
  }

  static String versionSegment(long version) {
    if (version <= 0) {
      throw new IllegalArgumentException("version " + version);
    }
    String s = Long.toString(Long.MAX_VALUE - version);
    return "0".repeat(DIGITS - s.length()) + s;
  }

  /** The version an object name in {@code dir(key)} stands for; CORRUPT if it is not ours. */
  public long version(String key, String objectName) {
    OptionalLong v = parse(dir(key), objectName);
    if (v.isEmpty()) {
      throw HadbException.corrupt("object '" + objectName + "' lies among the versions of lease key '"
          + key + "' but is not named like one ({dir}/{19 digits}); something else writes there");
    }
    return v.getAsLong();
  }

  static OptionalLong parse(String dir, String objectName) {
    if (!objectName.startsWith(dir) || objectName.length() != dir.length() + DIGITS) {
      return OptionalLong.empty();
    }
    long inverted = 0;
    for (int i = dir.length(); i < objectName.length(); i++) {
      char c = objectName.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalLong.empty();
      }
      inverted = inverted * 10 + (c - '0');
      if (inverted < 0) {
        return OptionalLong.empty();
      }
    }
    long version = Long.MAX_VALUE - inverted;
    return version > 0 ? OptionalLong.of(version) : OptionalLong.empty();
  }

  private static String sha256Hex(String key) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(d.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
