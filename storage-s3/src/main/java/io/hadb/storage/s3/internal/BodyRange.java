package io.hadb.storage.s3.internal;

import io.hadb.api.BodySource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * A byte range of a {@link BodySource} as the SDK's re-readable request body: every
 * {@link #newStream()} re-opens the source and skips to the range, so signing, retries and
 * multipart parts never buffer the object in memory.
 */
public final class BodyRange implements ContentStreamProvider {
  private final BodySource body;
  private final long offset;
  private final long length;
  private InputStream current;

  public BodyRange(BodySource body, long offset, long length) {
    this.body = body;
    this.offset = offset;
    this.length = length;
  }

  public long length() {
    return length;
  }

  @Override
  public synchronized InputStream newStream() {
    closeCurrent();
    try {
      InputStream in = body.open();
      if (offset > 0) {
        in.skipNBytes(offset);
      }
      current = new Bounded(in, length);
      return current;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the body to upload (" + body + ")", e);
    }
  }

  /** Closes the last stream handed out; the SDK may not close a stream it abandoned on retry. */
  public synchronized void closeCurrent() {
    if (current != null) {
      try {
        current.close();
      } catch (IOException ignored) {
        // Closing a source we only read from cannot lose data.
      }
      current = null;
    }
  }

  @Override
  public String name() {
    return "hadb-body";
  }

  /** At most {@code remaining} bytes of the underlying stream. */
  private static final class Bounded extends FilterInputStream {
    private long remaining;

    Bounded(InputStream in, long remaining) {
      super(in);
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = super.read(buf, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(Math.min(n, remaining));
      remaining -= s;
      return s;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(super.available(), remaining);
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
