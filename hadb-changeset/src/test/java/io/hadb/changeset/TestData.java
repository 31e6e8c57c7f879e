package io.hadb.changeset;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Builders for changesets and byte surgery on encoded objects. */
final class TestData {
  static final EncryptionKey KEY = EncryptionKey.of(seq(32, 0x10));
  static final EncryptionKey OTHER_KEY = EncryptionKey.of(seq(32, 0x70));
  static final long T0 = 1_700_000_000_000L;

  private TestData() {}

  static byte[] seq(int n, int start) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (start + i);
    }
    return b;
  }

  /**
   * A page's bytes from a seed: {@code compressible} gives runs and repeated text like real
   * b-tree pages; otherwise noise.
   */
  static byte[] pageBytes(int size, long seed, boolean compressible) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] b = new byte[size];
    if (!compressible) {
      for (int i = 0; i < size; i++) {
        b[i] = (byte) r.nextInt();
      }
      return b;
    }
    int i = 0;
    while (i < size) {
      int run = 1 + r.nextInt(64);
      byte v = (byte) ("abcdefgh0123 \0\0\0".charAt(r.nextInt(16)));
      for (int k = 0; k < run && i < size; k++) {
        b[i++] = v;
      }
    }
    return b;
  }

  static PhysicalChangeset physical(PhysicalHeader header, long seed, boolean compressible) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Long> numbers = new ArrayList<>();
    for (long p = 1; p <= header.dbSizePages(); p++) {
      numbers.add(p);
    }
    for (int i = numbers.size() - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      Long t = numbers.get(i);
      numbers.set(i, numbers.get(j));
      numbers.set(j, t);
    }
    List<Long> chosen = new ArrayList<>(numbers.subList(0, (int) header.pageCount()));
    chosen.sort(null);
    List<Page> pages = new ArrayList<>();
    for (long p : chosen) {
      pages.add(new Page(p, pageBytes(header.pageSize(), seed * 31 + p, compressible)));
    }
    return new PhysicalChangeset(header, pages);
  }

  static EncodeOptions options(Compression c, boolean encrypt, int chunk) {
    EncodeOptions o = EncodeOptions.plain().withCompression(c).withChunkSize(chunk);
    return encrypt ? o.withEncryption(KEY) : o;
  }

  /** Recomputes the trailer so a deliberately malformed object passes the checksum. */
  static byte[] rehash(byte[] object) {
    byte[] b = object.clone();
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(b, 0, b.length - 32);
      System.arraycopy(md.digest(), 0, b, b.length - 32, 32);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return b;
  }

  static byte[] flipBit(byte[] b, long bit) {
    byte[] c = b.clone();
    c[(int) (bit / 8)] ^= (byte) (1 << (bit % 8));
    return c;
  }

  static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  static void putLong(byte[] b, int off, long v) {
    putInt(b, off, (int) (v >>> 32));
    putInt(b, off + 4, (int) v);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  /** A stream that returns at most {@code max} bytes per read and nothing from available(). */
  static InputStream choppy(byte[] data, int max) {
    return new FilterInputStream(new ByteArrayInputStream(data)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, max));
      }

      @Override
      public int available() {
        return 0;
      }
    };
  }

  static byte[] prefix(byte[] b, int n) {
    return Arrays.copyOf(b, n);
  }
}
