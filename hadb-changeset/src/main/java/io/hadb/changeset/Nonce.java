package io.hadb.changeset;

import io.hadb.api.HadbException;
import java.util.HexFormat;

/**
 * The 96-bit AES-GCM base nonce stored in an encrypted changeset's header. Frame {@code i} is
 * sealed with the base nonce whose last four bytes are XORed with {@code i} (FORMAT.md §5).
 *
 * @param high the first eight bytes, big-endian
 * @param low the last four bytes, big-endian
 */
public record Nonce(long high, int low) {
  public static final int LENGTH = 12;
  /** The value stored when a changeset is not encrypted. */
  public static final Nonce ZERO = new Nonce(0, 0);

  public static Nonce of(byte[] twelve) {
    HadbException.requireArg(twelve, "nonce");
    if (twelve.length != LENGTH) {
      throw HadbException.invalidArgument("a nonce is 12 bytes, got " + twelve.length);
    }
    long h = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (twelve[i] & 0xFF);
    }
    int l = 0;
    for (int i = 8; i < 12; i++) {
      l = (l << 8) | (twelve[i] & 0xFF);
    }
    return new Nonce(h, l);
  }

  public byte[] toBytes() {
    byte[] b = new byte[LENGTH];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (high >>> (56 - 8 * i));
    }
    for (int i = 0; i < 4; i++) {
      b[8 + i] = (byte) (low >>> (24 - 8 * i));
    }
    return b;
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(toBytes());
  }
}
