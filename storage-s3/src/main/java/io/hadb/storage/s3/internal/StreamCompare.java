package io.hadb.storage.s3.internal;

import java.io.IOException;
import java.io.InputStream;

/** Compares two streams chunk by chunk, so an object of any size is compared in constant memory. */
public final class StreamCompare {
  private static final int CHUNK = 64 * 1024;

  private StreamCompare() {}

  /** True when both streams yield exactly the same bytes; reads each at most to its end. */
  public static boolean sameBytes(InputStream a, InputStream b) throws IOException {
    byte[] x = new byte[CHUNK];
    byte[] y = new byte[CHUNK];
    while (true) {
      int n = a.readNBytes(x, 0, CHUNK);
      int m = b.readNBytes(y, 0, CHUNK);
      if (n != m) {
        return false;
      }
      if (n == 0) {
        return true;
      }
      if (java.util.Arrays.mismatch(x, 0, n, y, 0, n) >= 0) {
        return false;
      }
    }
  }
}
