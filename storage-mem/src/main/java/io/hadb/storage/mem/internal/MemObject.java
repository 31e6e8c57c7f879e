package io.hadb.storage.mem.internal;

import io.hadb.api.BodySource;
import io.hadb.api.HadbException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An immutable stored object, kept in 1 MiB chunks so a large one needs no single huge array and
 * may exceed 2 GiB. Never mutated after {@link #read}, which is what makes streams snapshots.
 */
public final class MemObject {
  static final int CHUNK = 1024 * 1024;

  private final byte[][] chunks;
  private final long length;

  private MemObject(byte[][] chunks, long length) {
    this.chunks = chunks;
    this.length = length;
  }

  public long length() {
    return length;
  }

  /** Reads the whole body; fails when it does not yield exactly {@code body.length()} bytes. */
  public static MemObject read(String key, BodySource body) {
    long declared = body.length();
    if (declared < 0) {
      throw HadbException.invalidArgument("body for " + key + " has a negative length " + declared);
    }
    List<byte[]> chunks = new ArrayList<>();
    long total = 0;
    try (InputStream in = body.open()) {
      while (true) {
        byte[] chunk = new byte[(int) Math.max(1, Math.min(CHUNK, declared - total))];
        int n = in.readNBytes(chunk, 0, chunk.length);
        if (n == 0) {
          break;
        }
        if (n < chunk.length) {
          byte[] shorter = new byte[n];
          System.arraycopy(chunk, 0, shorter, 0, n);
          chunk = shorter;
        }
        chunks.add(chunk);
        total += n;
        if (total > declared) {
          break;
        }
      }
    } catch (IOException e) {
      throw HadbException.unavailable("reading the body for " + key + " failed: " + e.getMessage(), e);
    }
    if (total != declared) {
      throw HadbException.invalidArgument("body for " + key + " declared " + declared + " bytes but its stream yielded "
          + (total > declared ? "more" : String.valueOf(total)));
    }
    return new MemObject(chunks.toArray(new byte[0][]), total);
  }

  public InputStream open() {
    return new InputStream() {
      private int chunk;
      private int offset;

      @Override
      public int read() {
        while (chunk < chunks.length && offset == chunks[chunk].length) {
          chunk++;
          offset = 0;
        }
        return chunk < chunks.length ? chunks[chunk][offset++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
          return 0;
        }
        while (chunk < chunks.length && offset == chunks[chunk].length) {
          chunk++;
          offset = 0;
        }
        if (chunk == chunks.length) {
          return -1;
        }
        int n = Math.min(len, chunks[chunk].length - offset);
        System.arraycopy(chunks[chunk], offset, b, off, n);
        offset += n;
        return n;
      }
    };
  }
}
