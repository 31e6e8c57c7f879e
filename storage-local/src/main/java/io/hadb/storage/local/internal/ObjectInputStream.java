package io.hadb.storage.local.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The bytes of one version of an object. The open channel pins the file: a later replacement
 * (rename over the name) or delete (unlink) does not change what this stream reads. Read errors
 * name the key and the file.
 */
public final class ObjectInputStream extends InputStream {
  private static final int BUFFER = 64 * 1024;

  private final FileChannel ch;
  private final String key;
  private final Path file;
  private final ByteBuffer buf = ByteBuffer.allocate(BUFFER).flip();

  public ObjectInputStream(FileChannel ch, String key, Path file) {
    this.ch = ch;
    this.key = key;
    this.file = file;
  }

  @Override
  public int read() throws IOException {
    if (!buf.hasRemaining() && !fill()) {
      return -1;
    }
    return buf.get() & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (buf.hasRemaining()) {
      int n = Math.min(len, buf.remaining());
      buf.get(b, off, n);
      return n;
    }
    if (len >= BUFFER) {
      // Large reads go straight into the caller's array; no double copy for bulk streaming.
      try {
        return ch.read(ByteBuffer.wrap(b, off, len));
      } catch (IOException e) {
        throw named(e);
      }
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, buf.remaining());
    buf.get(b, off, n);
    return n;
  }

  private boolean fill() throws IOException {
    buf.clear();
    int n;
    try {
      do {
        n = ch.read(buf);
      } while (n == 0);
    } catch (IOException e) {
      buf.flip();
      throw named(e);
    }
    buf.flip();
    return n > 0;
  }

  @Override
  public long skip(long n) throws IOException {
    if (n <= 0) {
      return 0;
    }
    try {
      long fromBuf = Math.min(n, buf.remaining());
      buf.position(buf.position() + (int) fromBuf);
      long rest = n - fromBuf;
      if (rest == 0) {
        return fromBuf;
      }
      long pos = ch.position();
      long target = Math.min(ch.size(), pos + rest);
      ch.position(target);
      return fromBuf + (target - pos);
    } catch (IOException e) {
      throw named(e);
    }
  }

  @Override
  public int available() throws IOException {
    try {
      long left = ch.size() - ch.position();
      return (int) Math.min(Integer.MAX_VALUE, buf.remaining() + Math.max(0, left));
    } catch (IOException e) {
      throw named(e);
    }
  }

  @Override
  public void close() throws IOException {
    ch.close();
  }

  private IOException named(IOException e) {
    return new IOException("reading object " + key + " at " + file + " failed: " + e.getMessage(), e);
  }
}
