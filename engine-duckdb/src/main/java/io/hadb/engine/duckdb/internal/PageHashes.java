package io.hadb.engine.duckdb.internal;

import io.hadb.api.HadbException;
import io.hadb.chain.MemoryPages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The leader's record of the file as last shipped: a 64-bit hash of each 4 KiB page (CRC32C and
 * CRC-32 side by side, both computed by the CPU's instructions). After a checkpoint the file is
 * read and every page whose hash moved is captured; reading a 50 MB file from the page cache costs
 * tens of milliseconds, while DuckDB offers no list of the blocks a checkpoint wrote.
 *
 * <p>A change that keeps both CRCs equal would be missed: for a random change that is 2^-64 per
 * page, and DuckDB's own block checksums would then fail the follower's read, never silently.
 */
public final class PageHashes {
  private static final int CHUNK = 256 * FileHeader.PAGE;
  private long[] hashes = new long[0];
  private long pages;

  /** Records {@code ch} as shipped, whole. */
  public void reset(FileChannel ch) {
    diff(ch, false);
  }

  /** The pages that changed since the last call (or {@link #reset}), with the file's new size. */
  public MemoryPages changed(FileChannel ch) {
    return diff(ch, true);
  }

  private MemoryPages diff(FileChannel ch, boolean collect) {
    try {
      long size = ch.size();
      long n = size / FileHeader.PAGE;
      if (n > Integer.MAX_VALUE) {
        throw HadbException.unsupported("a DuckDB file of " + size + " bytes is beyond the engine's page count");
      }
      long[] next = Arrays.copyOf(hashes, (int) n);
      TreeMap<Long, byte[]> out = new TreeMap<>();
      ByteBuffer buf = ByteBuffer.allocate(CHUNK);
      CRC32C c1 = new CRC32C();
      CRC32 c2 = new CRC32();
      for (long at = 0; at < n * FileHeader.PAGE; at += CHUNK) {
        buf.clear();
        buf.limit((int) Math.min(CHUNK, n * FileHeader.PAGE - at));
        while (buf.hasRemaining()) {
          if (ch.read(buf, at + buf.position()) < 0) {
            throw HadbException.unavailable("the DuckDB file ended at " + (at + buf.position())
                + " while " + size + " bytes were expected", null);
          }
        }
        byte[] a = buf.array();
        for (int off = 0; off < buf.limit(); off += FileHeader.PAGE) {
          c1.reset();
          c1.update(a, off, FileHeader.PAGE);
          c2.reset();
          c2.update(a, off, FileHeader.PAGE);
          long h = c1.getValue() << 32 | c2.getValue();
          int page = (int) ((at + off) / FileHeader.PAGE);
          if (page >= pages || next[page] != h) {
            next[page] = h;
            if (collect) {
              out.put(page + 1L, Arrays.copyOfRange(a, off, off + FileHeader.PAGE));
            }
          }
        }
      }
      boolean shrank = n < pages;
      hashes = next;
      pages = n;
      if (out.isEmpty() && !shrank) {
        return null;
      }
      return MemoryPages.of(FileHeader.PAGE, n, out);
    } catch (IOException e) {
      throw HadbException.unavailable("cannot read the DuckDB file: " + e.getMessage(), e);
    }
  }
}
