package io.hadb.conformance.internal;

import io.hadb.api.BodySource;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A body that stops halfway through for a while, as a slow upload does, so a store that makes an
 * object visible before its last byte (S4.3) or decides a conditional write outside one atomic
 * step (S5.1) is caught inside the window instead of only when threads happen to overlap.
 */
public final class PausingBody implements BodySource {
  private final byte[] bytes;
  private final long pauseMillis;

  private PausingBody(byte[] bytes, long pauseMillis) {
    this.bytes = bytes;
    this.pauseMillis = pauseMillis;
  }

  /** {@code bytes} (not copied), pausing halfway. */
  public static PausingBody of(byte[] bytes, long pauseMillis) {
    return new PausingBody(bytes, pauseMillis);
  }

  /** {@code size} copies of the byte {@code value}, pausing halfway. */
  public static PausingBody uniform(int value, int size, long pauseMillis) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) value);
    return new PausingBody(b, pauseMillis);
  }

  @Override
  public InputStream open() {
    return new InputStream() {
      private int pos;
      private boolean paused;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= bytes.length) {
          return -1;
        }
        if (len == 0) {
          return 0;
        }
        int half = bytes.length / 2;
        if (pos >= half && !paused) {
          paused = true;
          try {
            Thread.sleep(pauseMillis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        int end = pos < half ? half : bytes.length;
        int n = Math.min(len, Math.min(16 * 1024, end - pos));
        System.arraycopy(bytes, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  @Override
  public long length() {
    return bytes.length;
  }
}
