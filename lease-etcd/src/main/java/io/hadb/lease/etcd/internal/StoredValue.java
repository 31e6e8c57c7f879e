package io.hadb.lease.etcd.internal;

import io.hadb.api.HadbException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;

/**
 * The bytes stored in etcd for one register value: a format byte, a 16-byte write id, then the
 * caller's value.
 *
 * <p>The write id exists for ambiguous writes (DESIGN §3.1 L-ambiguous): after a timeout the store
 * looks at the key, and only an id it generated itself proves that the value there is its own
 * write. Comparing values instead would call a write won when another client wrote the same
 * bytes and this one lost.
 */
public final class StoredValue {
  /** Format tag of version 1; anything else was not written by this plug-in. */
  static final byte FORMAT_1 = 1;
  static final int HEADER = 1 + 16;

  private StoredValue() {}

  /** A fresh random write id. */
  public static byte[] newWriteId() {
    UUID u = UUID.randomUUID();
    return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
        .putLong(u.getLeastSignificantBits()).array();
  }

  public static byte[] encode(byte[] writeId, byte[] value) {
    byte[] out = new byte[HEADER + value.length];
    out[0] = FORMAT_1;
    System.arraycopy(writeId, 0, out, 1, 16);
    System.arraycopy(value, 0, out, HEADER, value.length);
    return out;
  }

  /** The caller's value; CORRUPT when the bytes were not written by this plug-in. */
  public static byte[] value(byte[] stored, String key) {
    check(stored, key);
    return Arrays.copyOfRange(stored, HEADER, stored.length);
  }

  public static boolean hasWriteId(byte[] stored, byte[] writeId) {
    return stored.length >= HEADER && stored[0] == FORMAT_1
        && Arrays.equals(stored, 1, HEADER, writeId, 0, 16);
  }

  private static void check(byte[] stored, String key) {
    if (stored.length < HEADER || stored[0] != FORMAT_1) {
      throw HadbException.corrupt("the etcd value of key '" + key + "' was not written by hadb"
          + " lease-etcd (" + stored.length + " bytes, format byte "
          + (stored.length == 0 ? "none" : Integer.toString(stored[0] & 0xFF)) + ")");
    }
  }
}
