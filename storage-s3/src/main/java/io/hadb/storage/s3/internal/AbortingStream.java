package io.hadb.storage.s3.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * The body of a GET. Closed before its end, it aborts the HTTP connection instead of letting the
 * client drain the rest of a possibly multi-GB object to reuse the connection.
 */
public final class AbortingStream extends FilterInputStream {
  private final ResponseInputStream<?> response;
  private boolean atEnd;
  private boolean closed;

  public AbortingStream(ResponseInputStream<?> response) {
    super(response);
    this.response = response;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      atEnd = true;
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n < 0) {
      atEnd = true;
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (!atEnd) {
      response.abort();
    }
    super.close();
  }
}
