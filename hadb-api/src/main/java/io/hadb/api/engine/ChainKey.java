package io.hadb.api.engine;

import io.hadb.api.HadbException;
import java.util.Arrays;

/**
 * The 32-byte AES-256 key that encrypts changeset and snapshot bodies (AES-256-GCM). Never shown:
 * {@link #toString()} names no byte of it.
 */
public final class ChainKey {
  private final byte[] key;

  private ChainKey(byte[] key) {
    this.key = key;
  }

  /** A copy of {@code key}, which must be 32 bytes. */
  public static ChainKey of(byte[] key) {
    HadbException.requireArg(key, "encryption key");
    if (key.length != 32) {
      throw HadbException.invalidArgument("an encryption key is 32 bytes (AES-256), was " + key.length);
    }
    return new ChainKey(key.clone());
  }

  /** The key from 64 hexadecimal digits, as an environment variable would hold it. */
  public static ChainKey ofHex(String hex) {
    HadbException.requireArg(hex, "encryption key");
    if (!hex.matches("[0-9a-fA-F]{64}")) {
      throw HadbException.invalidArgument("an encryption key is 64 hexadecimal digits (32 bytes); the"
          + " value given has " + hex.length() + " characters");
    }
    return new ChainKey(java.util.HexFormat.of().parseHex(hex));
  }

  /** A copy of the key bytes. */
  public byte[] bytes() {
    return key.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChainKey k && java.security.MessageDigest.isEqual(k.key, key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "ChainKey[redacted]";
  }
}
