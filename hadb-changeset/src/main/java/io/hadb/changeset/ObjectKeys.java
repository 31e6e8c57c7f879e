package io.hadb.changeset;

import io.hadb.api.HadbException;
import io.hadb.api.Keys;
import java.util.Optional;

/**
 * Object keys of the chain (DESIGN §4): {@code {dbRoot}changes/{seq:020d}.hadbp} (or
 * {@code .hadbj}). Twenty zero-padded decimal digits make lexicographic order numeric order, so
 * a storage listing returns the chain in seq order. {@code dbRoot} is {@code ""} or ends with
 * {@code /} (e.g. {@code "prod/orders/"}).
 */
public final class ObjectKeys {
  public static final String CHANGES_DIR = "changes/";
  private static final int DIGITS = 20;

  private ObjectKeys() {}

  /** A parsed canonical key. */
  public record ParsedKey(String dbRoot, long seq, Format format) {}

  /** {@code changes/{seq:020d}.hadbp}. */
  public static String changeset(long seq) {
    return key("", seq, Format.HADBP);
  }

  /** {@code changes/{seq:020d}.hadbj}. */
  public static String journal(long seq) {
    return key("", seq, Format.HADBJ);
  }

  public static String key(String dbRoot, long seq, Format format) {
    HadbException.requireArg(dbRoot, "dbRoot");
    HadbException.requireArg(format, "format");
    if (!dbRoot.isEmpty() && !dbRoot.endsWith("/")) {
      throw HadbException.invalidArgument("dbRoot must be empty or end with '/': \"" + dbRoot
          + "\"");
    }
    if (seq < 1) {
      throw HadbException.invalidArgument("seq must be >= 1, was " + seq);
    }
    return Keys.validate(dbRoot + CHANGES_DIR + String.format("%020d", seq) + format.extension());
  }

  /** The listing prefix of a database's chain. */
  public static String changesPrefix(String dbRoot) {
    HadbException.requireArg(dbRoot, "dbRoot");
    if (!dbRoot.isEmpty() && !dbRoot.endsWith("/")) {
      throw HadbException.invalidArgument("dbRoot must be empty or end with '/': \"" + dbRoot
          + "\"");
    }
    return Keys.validatePrefix(dbRoot + CHANGES_DIR);
  }

  /**
   * Parses a canonical key; anything else ({@code 5.hadbp}, 21 digits, {@code +5}, seq 0, a seq
   * above 2^63-1, another directory or extension) throws {@code INVALID_ARGUMENT}, because a
   * second spelling of one seq would let two objects claim the same place in the chain.
   */
  public static ParsedKey parse(String key) {
    HadbException.requireArg(key, "key");
    return tryParse(key).orElseThrow(() -> HadbException.invalidArgument("\"" + key
        + "\" is not a canonical changeset key ({dbRoot}changes/{20 digits}.hadbp|.hadbj,"
        + " seq >= 1)"));
  }

  public static Optional<ParsedKey> tryParse(String key) {
    if (key == null) {
      return Optional.empty();
    }
    Format format = null;
    for (Format f : Format.values()) {
      if (key.endsWith(f.extension())) {
        format = f;
      }
    }
    if (format == null) {
      return Optional.empty();
    }
    int end = key.length() - format.extension().length();
    int start = end - DIGITS;
    int dirStart = start - CHANGES_DIR.length();
    if (dirStart < 0 || !key.startsWith(CHANGES_DIR, dirStart)) {
      return Optional.empty();
    }
    String dbRoot = key.substring(0, dirStart);
    if (!dbRoot.isEmpty() && !dbRoot.endsWith("/")) {
      return Optional.empty();
    }
    long seq = 0;
    for (int i = start; i < end; i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        return Optional.empty();
      }
      int d = c - '0';
      if (seq > (Long.MAX_VALUE - d) / 10) {
        return Optional.empty();
      }
      seq = seq * 10 + d;
    }
    if (seq < 1) {
      return Optional.empty();
    }
    try {
      Keys.validate(key);
    } catch (HadbException e) {
      return Optional.empty();
    }
    return Optional.of(new ParsedKey(dbRoot, seq, format));
  }
}
