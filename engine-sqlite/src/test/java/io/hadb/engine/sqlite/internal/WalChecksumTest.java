package io.hadb.engine.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class WalChecksumTest {
  /** SQLite's walChecksumBytes, written out word by word from its definition. */
  private static int[] reference(boolean bigEndian, byte[] b, int off, int len, int s0, int s1) {
    for (int i = off; i < off + len; i += 8) {
      s0 += word(b, i, bigEndian) + s1;
      s1 += word(b, i + 4, bigEndian) + s0;
    }
    return new int[] {s0, s1};
  }

  private static int word(byte[] b, int i, boolean bigEndian) {
    int a = b[i] & 0xff;
    int c = b[i + 1] & 0xff;
    int d = b[i + 2] & 0xff;
    int e = b[i + 3] & 0xff;
    return bigEndian ? (a << 24) | (c << 16) | (d << 8) | e : (e << 24) | (d << 16) | (c << 8) | a;
  }

  @Test
  void matches_the_definition_in_both_byte_orders_at_any_offset() {
    Random rnd = new Random(7);
    for (int round = 0; round < 200; round++) {
      byte[] buf = new byte[4096 + 64];
      rnd.nextBytes(buf);
      int off = rnd.nextInt(8) * 8 + (round % 3); // unaligned offsets too
      int len = 8 * (1 + rnd.nextInt(512));
      int s0 = rnd.nextInt();
      int s1 = rnd.nextInt();
      for (boolean bigEndian : new boolean[] {false, true}) {
        int[] sum = {s0, s1};
        WalChecksum.update(bigEndian, buf, off, len, sum);
        assertArrayEquals(reference(bigEndian, buf, off, len, s0, s1), sum,
            "round " + round + " bigEndian=" + bigEndian + " off=" + off + " len=" + len);
      }
    }
  }
}
