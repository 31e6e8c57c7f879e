package io.hadb.chain;

import io.hadb.api.HadbException;
import io.hadb.api.Keys;
import io.hadb.changeset.Format;
import io.hadb.changeset.ObjectKeys;
import java.util.OptionalLong;

/**
 * Object keys of one database's chain (DESIGN §4): {@code {prefix}changes/{seq:020d}.hadbp} and
 * {@code {prefix}snapshots/{seq:020d}.snap}. Zero padding makes lexicographic order numeric.
 */
public final class ChainKeys {
  private static final String CHANGES = "changes/";
  private static final String SNAPSHOTS = "snapshots/";

  private final String prefix;

  /** {@code prefix} is "" or ends with '/', e.g. {@code apps/db1/}. */
  public ChainKeys(String prefix) {
    HadbException.requireArg(prefix, "prefix");
    if (!prefix.isEmpty()) {
      if (!prefix.endsWith("/")) {
        throw HadbException.invalidArgument("prefix must be empty or end with '/': \"" + prefix + "\"");
      }
      Keys.validatePrefix(prefix);
    }
    this.prefix = prefix;
  }

  /**
   * The keys under a database prefix as a user writes it: {@code ""}, or a path with or without
   * its trailing '/' (added when missing).
   */
  public static ChainKeys of(String prefix) {
    HadbException.requireArg(prefix, "prefix");
    return new ChainKeys(prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/");
  }

  public String prefix() {
    return prefix;
  }

  public String changesPrefix() {
    return prefix + CHANGES;
  }

  public String snapshotsPrefix() {
    return prefix + SNAPSHOTS;
  }

  /** The canonical key of changeset {@code seq} (hadb-changeset's {@code ObjectKeys}). */
  public String change(long seq) {
    if (seq == 0) {
      return changesPrefix() + "0".repeat(20) + ".hadbp"; // a listing start, never an object
    }
    return ObjectKeys.key(prefix, seq, Format.HADBP);
  }

  /**
   * The name of this chain's manifest in a manifest store (DESIGN §10): the prefix without its
   * trailing '/' ({@code orders/} → {@code orders}, whose register is {@code orders/manifest},
   * beside the coordinator's {@code orders/lease}), or {@code chain} for the empty prefix.
   */
  public String manifestName() {
    return prefix.isEmpty() ? "chain" : prefix.substring(0, prefix.length() - 1);
  }

  public String snapshot(long seq) {
    return snapshotsPrefix() + String.format("%020d", seq) + ".snap";
  }

  /** The seq of a change key, or empty when the key is not a canonical change key. */
  public OptionalLong changeSeq(String key) {
    return ObjectKeys.tryParse(key)
        .filter(k -> k.dbRoot().equals(prefix) && k.format() == Format.HADBP)
        .map(k -> OptionalLong.of(k.seq()))
        .orElse(OptionalLong.empty());
  }

  public OptionalLong snapshotSeq(String key) {
    return seqOf(key, snapshotsPrefix(), ".snap");
  }

  private static OptionalLong seqOf(String key, String dir, String suffix) {
    if (!key.startsWith(dir) || !key.endsWith(suffix)) {
      return OptionalLong.empty();
    }
    String digits = key.substring(dir.length(), key.length() - suffix.length());
    if (digits.length() != 20 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(digits));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
