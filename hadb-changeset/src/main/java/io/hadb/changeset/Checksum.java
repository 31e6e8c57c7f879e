package io.hadb.changeset;

import io.hadb.api.HadbException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A full 32-byte SHA-256: the trailer of a changeset, and the previous-checksum link in the next
 * one's header. Never truncated: hadb's 64-bit prefix is what DESIGN §8 says not to repeat.
 */
public final class Checksum {
  public static final int LENGTH = 32;

  /** The previous checksum of the first changeset of a chain (seq 1). */
  public static final Checksum ZERO = new Checksum(new byte[LENGTH]);

  private final byte[] bytes;

  private Checksum(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps a copy of {@code bytes}, which must be exactly 32 bytes long. */
  public static Checksum of(byte[] bytes) {
    HadbException.requireArg(bytes, "checksum");
    if (bytes.length != LENGTH) {
      throw HadbException.invalidArgument(
          "a checksum is " + LENGTH + " bytes, got " + bytes.length);
    }
    return new Checksum(bytes.clone());
  }

  static Checksum wrap(byte[] bytes) {
    return new Checksum(bytes);
  }

  /** Parses 64 lower- or upper-case hex digits. */
  public static Checksum ofHex(String hex) {
    HadbException.requireArg(hex, "checksum hex");
    if (hex.length() != 2 * LENGTH) {
      throw HadbException.invalidArgument(
          "a checksum is " + 2 * LENGTH + " hex digits, got " + hex.length());
    }
    try {
      return new Checksum(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw HadbException.invalidArgument("checksum is not hex: " + e.getMessage());
    }
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  void copyTo(byte[] dst, int off) {
    System.arraycopy(bytes, 0, dst, off, LENGTH);
  }

  public boolean isZero() {
    return equals(ZERO);
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    // Constant time: a checksum compare must not become an oracle if it ever guards anything.
    return o instanceof Checksum c && MessageDigest.isEqual(c.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The full hex; chain errors print whole checksums so two can be compared by eye. */
  @Override
  public String toString() {
    return toHex();
  }
}
