package io.hadb.api;

/**
 * The one key syntax shared by every {@link LeaseStore} and {@link StorageBackend}, so a key
 * that works on one plug-in works on all of them, on a local file system included.
 *
 * <ul>
 *   <li>segments separated by {@code /}; no leading or trailing {@code /}, no empty segment;
 *   <li>a segment is 1–{@value #MAX_SEGMENT_LENGTH} characters of {@code A-Z a-z 0-9 . _ - = + , @}
 *       and is not {@code .} or {@code ..};
 *   <li>the whole key is at most {@value #MAX_KEY_LENGTH} characters.
 * </ul>
 *
 * <p>The set is ASCII so that lexicographic order is the same in Java, in UTF-8 bytes, on S3 and
 * on disk; it leaves out {@code ~ % * ? : \} and spaces so plug-ins may use them internally.
 */
public final class Keys {
  public static final int MAX_KEY_LENGTH = 1024;
  public static final int MAX_SEGMENT_LENGTH = 200;

  private Keys() {}

  /** Returns {@code key} when valid, else throws {@link ErrorCode#INVALID_ARGUMENT} saying why. */
  public static String validate(String key) {
    if (key == null) {
      throw HadbException.invalidArgument("key must not be null");
    }
    if (key.isEmpty()) {
      throw HadbException.invalidArgument("key must not be empty");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw HadbException.invalidArgument(
          "key is " + key.length() + " characters, the limit is " + MAX_KEY_LENGTH + ": "
              + abbreviate(key));
    }
    checkSegments(key, false);
    return key;
  }

  /**
   * Validates a listing prefix: empty, or a key that may end with {@code /}, or a partial
   * segment ("changes/0000").
   */
  public static String validatePrefix(String prefix) {
    if (prefix == null) {
      throw HadbException.invalidArgument("prefix must not be null (use \"\" for all keys)");
    }
    if (prefix.isEmpty()) {
      return prefix;
    }
    if (prefix.length() > MAX_KEY_LENGTH) {
      throw HadbException.invalidArgument(
          "prefix is " + prefix.length() + " characters, the limit is " + MAX_KEY_LENGTH);
    }
    checkSegments(prefix, true);
    return prefix;
  }

  private static void checkSegments(String key, boolean isPrefix) {
    if (key.charAt(0) == '/') {
      throw HadbException.invalidArgument("key must not start with '/': " + abbreviate(key));
    }
    int start = 0;
    while (true) {
      int slash = key.indexOf('/', start);
      int end = slash < 0 ? key.length() : slash;
      boolean last = slash < 0;
      String segment = key.substring(start, end);
      if (segment.isEmpty()) {
        // A prefix may end with '/', which leaves one empty last segment.
        if (!(isPrefix && last)) {
          throw HadbException.invalidArgument(
              "key has an empty segment (\"//\" or a trailing '/'): " + abbreviate(key));
        }
      } else {
        checkSegment(segment, key, isPrefix && last);
      }
      if (last) {
        return;
      }
      start = slash + 1;
    }
  }

  private static void checkSegment(String segment, String key, boolean partial) {
    if (segment.length() > MAX_SEGMENT_LENGTH) {
      throw HadbException.invalidArgument(
          "key segment is " + segment.length() + " characters, the limit is "
              + MAX_SEGMENT_LENGTH + ": " + abbreviate(key));
    }
    if (!partial && (segment.equals(".") || segment.equals(".."))) {
      throw HadbException.invalidArgument(
          "key must not contain a '" + segment + "' segment: " + abbreviate(key));
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (!allowed(c)) {
        throw HadbException.invalidArgument(
            "key has a character that is not allowed (" + describe(c) + " at index "
                + (key.indexOf(segment) + i) + "; allowed: A-Z a-z 0-9 . _ - = + , @ and '/'"
                + " between segments): " + abbreviate(key));
      }
    }
  }

  static boolean allowed(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.' || c == '_' || c == '-' || c == '=' || c == '+' || c == ',' || c == '@';
  }

  private static String describe(char c) {
    return c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : "'" + c + "'";
  }

  private static String abbreviate(String key) {
    StringBuilder b = new StringBuilder();
    int n = Math.min(key.length(), 80);
    for (int i = 0; i < n; i++) {
      char c = key.charAt(i);
      b.append(c < 0x20 || c > 0x7e ? '?' : c);
    }
    return "\"" + b + (key.length() > n ? "…" : "") + "\"";
  }
}
