package io.hadb.storage.local;

import io.hadb.api.BodySource;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic object bodies of any size, generated on the fly (never held whole in memory):
 * a 16-byte header (seed, total length) then pseudo-random bytes derived from the seed and the
 * position. A stored object can therefore be checked completely, and its writer identified, by
 * reading it back.
 */
final class Content {
  static final int HEADER = 16;

  private Content() {}

  static BodySource body(long seed, long length) {
    if (length < HEADER) {
      throw new IllegalArgumentException("length must be at least " + HEADER);
    }
    return new BodySource() {
      @Override
      public InputStream open() {
        return new Generator(seed, length);
      }

      @Override
      public long length() {
        return length;
      }

      @Override
      public String toString() {
        return "Content[seed=" + seed + ", " + length + " bytes]";
      }
    };
  }

  static byte[] bytes(long seed, int length) {
    try (InputStream in = new Generator(seed, length)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static byte byteAt(long seed, long pos) {
    if (pos < 8) {
      return (byte) (seed >>> (56 - 8 * pos));
    }
    return (byte) (mix(seed, pos >>> 3) >>> (8 * (pos & 7)));
  }

  private static long mix(long seed, long word) {
    long z = seed + 0x9E3779B97F4A7C15L * (word + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** What a stored object claims to be, after its every byte was checked. */
  record Checked(long seed, long length) {}

  /**
   * Reads the whole stream and checks it is exactly one complete generated body; throws
   * AssertionError naming the first wrong byte otherwise (a torn or partial object).
   */
  static Checked verify(InputStream in, String what) throws IOException {
    byte[] header = in.readNBytes(HEADER);
    if (header.length < HEADER) {
      throw new AssertionError(what + ": only " + header.length + " bytes, not even a header");
    }
    long seed = 0;
    long length = 0;
    for (int i = 0; i < 8; i++) {
      seed = (seed << 8) | (header[i] & 0xff);
      length = (length << 8) | (header[8 + i] & 0xff);
    }
    byte[] buf = new byte[64 * 1024];
    long pos = HEADER;
    int n;
    while ((n = in.read(buf)) >= 0) {
      for (int i = 0; i < n; i++) {
        if (buf[i] != byteAt(seed, pos + i)) {
          throw new AssertionError(what + ": byte " + (pos + i) + " is wrong for seed " + seed);
        }
      }
      pos += n;
    }
    if (pos != length) {
      throw new AssertionError(what + ": " + pos + " bytes but the header says " + length);
    }
    return new Checked(seed, length);
  }

  static byte[] sha256(InputStream in) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    byte[] buf = new byte[64 * 1024];
    int n;
    while ((n = in.read(buf)) >= 0) {
      md.update(buf, 0, n);
    }
    return md.digest();
  }

  /** Streams a generated body, a word at a time. */
  static class Generator extends InputStream {
    private final long seed;
    private final long length;
    private long pos;

    Generator(long seed, long length) {
      this.seed = seed;
      this.length = length;
    }

    private byte at(long p) {
      if (p < 8) {
        return (byte) (seed >>> (56 - 8 * p));
      }
      if (p < 16) {
        return (byte) (length >>> (56 - 8 * (p - 8)));
      }
      return byteAt(seed, p);
    }

    @Override
    public int read() {
      if (pos >= length) {
        return -1;
      }
      return at(pos++) & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos >= length) {
        return -1;
      }
      int n = (int) Math.min(len, length - pos);
      int i = 0;
      while (i < n && (pos + i < HEADER || ((pos + i) & 7) != 0)) {
        b[off + i] = at(pos + i);
        i++;
      }
      while (i + 8 <= n) {
        long w = mix(seed, (pos + i) >>> 3);
        for (int k = 0; k < 8; k++) {
          b[off + i + k] = (byte) (w >>> (8 * k));
        }
        i += 8;
      }
      while (i < n) {
        b[off + i] = at(pos + i);
        i++;
      }
      pos += n;
      return n;
    }
  }
}
