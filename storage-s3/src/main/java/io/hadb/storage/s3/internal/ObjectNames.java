package io.hadb.storage.s3.internal;

import io.hadb.api.HadbException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Maps hadb keys to S3 object names and back: {@code prefix + key + suffix}.
 *
 * <p>The suffix is empty, or {@code "!"} in filesystem-compatibility mode. {@code '!'} sorts below
 * every key character ({@code '+'} is the lowest), so the mapping keeps lexicographic order and
 * string prefixes, which lets S3 list in hadb order; and no object name ever ends where another
 * one's "directory" starts ({@code "a!"} and {@code "a/b!"}), which stores that keep objects as
 * files need.
 */
public final class ObjectNames {
  /** S3's limit on an object name, in UTF-8 bytes. */
  public static final int MAX_OBJECT_NAME_BYTES = 1024;

  private final String prefix;
  private final String suffix;

  public ObjectNames(String prefix, String suffix) {
    this.prefix = prefix;
    this.suffix = suffix;
  }

  /** The object name of a validated key; refuses names S3 cannot store. */
  public String object(String key) {
    String name = prefix + key + suffix;
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_OBJECT_NAME_BYTES) {
      throw HadbException.invalidArgument("key is too long for S3: with the URI prefix '" + prefix
          + "' its object name is " + bytes + " bytes, S3 allows " + MAX_OBJECT_NAME_BYTES
          + " (key starts with '" + key.substring(0, Math.min(60, key.length())) + "')");
    }
    return name;
  }

  /** The S3 listing prefix of a hadb listing prefix (no suffix: it is a string prefix). */
  public String listPrefix(String keyPrefix) {
    return prefix + keyPrefix;
  }

  /** The S3 start-after of a hadb start-after; the mapping is monotonic, so order holds. */
  public String startAfter(String key) {
    return prefix + key + suffix;
  }

  /** The hadb key of an object name, or empty for objects that are not ours. */
  public Optional<String> key(String objectName) {
    if (!objectName.startsWith(prefix) || !objectName.endsWith(suffix)
        || objectName.length() <= prefix.length() + suffix.length()) {
      return Optional.empty();
    }
    return Optional.of(objectName.substring(prefix.length(), objectName.length() - suffix.length()));
  }
}
