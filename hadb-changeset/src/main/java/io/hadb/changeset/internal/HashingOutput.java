package io.hadb.changeset.internal;

import io.hadb.api.HadbException;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * The writer's byte sink: every stored byte before the trailer goes through one SHA-256 as it is
 * written. Page-sized writes (and larger) are hashed straight from the caller's array and passed
 * on without a copy; only small fields (page numbers, entry headers, frame words, hashes) gather
 * in a buffer so the stream does not see a call per field. The throughput target is measured
 * against one MessageDigest over the same bytes (benchmarks/changeset-throughput.sh): copying
 * every page into a buffer first cost about 10% of it, hashing from the source costs nothing.
 *
 * <p>Consequence: the stream sees about two writes per page. Give the writer a buffered stream
 * when the destination is a file or a socket.
 */
public final class HashingOutput implements PlainSink {
  /** Writes at least this long bypass the buffer (the smallest page size). */
  static final int DIRECT_WRITE = 512;
  static final int BUFFER_SIZE = 64 * 1024;

  private final OutputStream out;
  private final String name;
  private final MessageDigest md = Sha256.newDigest();
  private final byte[] buf = new byte[BUFFER_SIZE];
  private final byte[] scratch = new byte[8];
  private int n;
  private long written;

  public HashingOutput(OutputStream out, String name) {
    this.out = out;
    this.name = name;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    if (len >= DIRECT_WRITE) {
      flushBuffer();
      md.update(b, off, len);
      emit(b, off, len);
    } else {
      if (len > buf.length - n) {
        flushBuffer();
      }
      System.arraycopy(b, off, buf, n, len);
      n += len;
    }
    written += len;
  }

  @Override
  public void writeInt(int v) {
    if (buf.length - n < 4) {
      flushBuffer();
    }
    Be.putInt(buf, n, v);
    n += 4;
    written += 4;
  }

  @Override
  public void writeLong(long v) {
    Be.putLong(scratch, 0, v);
    write(scratch, 0, 8);
  }

  /** Bytes written so far, trailer excluded. */
  public long written() {
    return written;
  }

  /** Ends the hashed part: returns the SHA-256 of everything written and appends it, unhashed. */
  public byte[] finish() {
    flushBuffer();
    byte[] digest = md.digest();
    emit(digest, 0, digest.length);
    try {
      out.flush();
    } catch (IOException e) {
      throw failed(e);
    }
    return digest;
  }

  private void flushBuffer() {
    if (n > 0) {
      md.update(buf, 0, n);
      emit(buf, 0, n);
      n = 0;
    }
  }

  private void emit(byte[] b, int off, int len) {
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      throw failed(e);
    }
  }

  private HadbException failed(IOException e) {
    return HadbException.unavailable("writing " + name + " failed: " + e.getMessage(), e);
  }
}
