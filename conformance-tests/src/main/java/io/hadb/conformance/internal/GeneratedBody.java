package io.hadb.conformance.internal;

import io.hadb.api.BodySource;
import java.io.IOException;
import java.io.InputStream;

/**
 * A large object's bytes computed from (seed, position), so the kit can write and verify a
 * multi-megabyte object without ever holding it in a byte array. Reads return at most
 * {@value #MAX_READ} bytes per call, as sockets and files do, which exposes stores that assume
 * one {@code read} fills the buffer.
 */
public final class GeneratedBody implements BodySource {
  static final int MAX_READ = 64 * 1024;

  private final long seed;
  private final long length;

  public GeneratedBody(long seed, long length) {
    this.seed = seed;
    this.length = length;
  }

  @Override
  public InputStream open() {
    return new Stream(seed, length);
  }

  @Override
  public long length() {
    return length;
  }

  /** The byte at {@code position}: a cheap mix so shifted or repeated blocks do not compare equal. */
  public static byte byteAt(long seed, long position) {
    long z = seed + (position >>> 3) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (byte) (z >>> ((position & 7) * 8));
  }

  @Override
  public String toString() {
    return "GeneratedBody[seed=" + seed + ", " + length + " bytes]";
  }

  private static final class Stream extends InputStream {
    private final long seed;
    private final long length;
    private long pos;

    Stream(long seed, long length) {
      this.seed = seed;
      this.length = length;
    }

    @Override
    public int read() {
      if (pos >= length) {
        return -1;
      }
      return byteAt(seed, pos++) & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos >= length) {
        return -1;
      }
      int n = (int) Math.min(Math.min(len, MAX_READ), length - pos);
      for (int i = 0; i < n; i++) {
        b[off + i] = byteAt(seed, pos + i);
      }
      pos += n;
      return n;
    }

    @Override
    public long skip(long n) {
      long k = Math.max(0, Math.min(n, length - pos));
      pos += k;
      return k;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, length - pos);
    }
  }

  /**
   * Reads {@code in} to its end in small chunks and compares it with this body. Returns null when
   * equal, else a description of the first difference.
   */
  public String compare(InputStream in) throws IOException {
    byte[] buf = new byte[32 * 1024];
    long pos = 0;
    while (true) {
      int n = in.read(buf);
      if (n < 0) {
        break;
      }
      for (int i = 0; i < n; i++) {
        if (pos + i >= length) {
          return "the stream is longer than the " + length + " bytes written (it went on past byte " + length + ")";
        }
        if (buf[i] != byteAt(seed, pos + i)) {
          return "byte " + (pos + i) + " differs: wrote " + (byteAt(seed, pos + i) & 0xff) + ", read " + (buf[i] & 0xff);
        }
      }
      pos += n;
    }
    if (pos != length) {
      return "the stream ended after " + pos + " bytes; " + length + " were written";
    }
    return null;
  }
}
