package io.hadb.engine.sqlite.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * SQLite's WAL checksum: two 32-bit running sums over 32-bit words, in the byte order chosen by
 * the WAL header's magic ({@code 0x377f0682} little-endian, {@code 0x377f0683} big-endian).
 * Each frame's checksum continues from the previous frame's, so a valid frame proves every frame
 * before it in the same WAL generation.
 */
public final class WalChecksum {
  // Whole-int reads: the shipper checksums every new WAL frame, and assembling each word from
  // four bytes made this loop most of the cost of reading the WAL.
  private static final VarHandle LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private WalChecksum() {}

  /**
   * Continues {@code sum} (two ints: s0, s1) over {@code len} bytes of {@code buf} from
   * {@code off}; {@code len} must be a multiple of 8.
   */
  public static void update(boolean bigEndian, byte[] buf, int off, int len, int[] sum) {
    if ((len & 7) != 0) {
      throw new IllegalArgumentException("checksummed length must be a multiple of 8, was " + len);
    }
    int s0 = sum[0];
    int s1 = sum[1];
    int end = off + len;
    VarHandle words = bigEndian ? BE : LE;
    for (int i = off; i < end; i += 8) {
      s0 += (int) words.get(buf, i) + s1;
      s1 += (int) words.get(buf, i + 4) + s0;
    }
    sum[0] = s0;
    sum[1] = s1;
  }

  static int be32(byte[] b, int i) {
    return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
  }

  static void putBe32(byte[] b, int i, int v) {
    b[i] = (byte) (v >>> 24);
    b[i + 1] = (byte) (v >>> 16);
    b[i + 2] = (byte) (v >>> 8);
    b[i + 3] = (byte) v;
  }
}
