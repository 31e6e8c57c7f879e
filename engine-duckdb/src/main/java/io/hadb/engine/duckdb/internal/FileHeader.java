package io.hadb.engine.duckdb.internal;

import io.hadb.api.HadbException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * What the engine reads of DuckDB's file format itself: the main header (4 KiB, magic
 * {@code DUCK} at byte 8) and the two database headers after it (4 KiB each; each starts with
 * an 8-byte checksum then the checkpoint iteration, and the one with the higher iteration is
 * current), then 256 KiB blocks. Every size is a multiple of {@link #PAGE}, the page size the
 * chain ships.
 */
public final class FileHeader {
  /** The chain's page: DuckDB's header size, and 1/64 of a default block. */
  public static final int PAGE = 4096;
  /** Main header plus the two database headers. */
  public static final int HEADERS = 3 * PAGE;
  private static final byte[] MAGIC = {'D', 'U', 'C', 'K'};

  private FileHeader() {}

  /**
   * The stamp of the file's content: the current checkpoint iteration, which every checkpoint
   * moves (so does any write by DuckDB outside the library that reaches the file); -1 while the
   * file holds no headers.
   */
  public static int stamp(FileChannel ch) {
    try {
      if (ch.size() < HEADERS) {
        return -1;
      }
      ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      long a = iteration(ch, PAGE, b);
      long c = iteration(ch, 2L * PAGE, b);
      return (int) Math.max(a, c);
    } catch (IOException e) {
      throw HadbException.unavailable("cannot read the DuckDB headers: " + e.getMessage(), e);
    }
  }

  private static long iteration(FileChannel ch, long at, ByteBuffer b) throws IOException {
    b.clear();
    while (b.hasRemaining() && ch.read(b, at + b.position()) > 0) {
      // fill
    }
    return b.getLong(8);
  }

  /**
   * Fails with CORRUPT naming {@code file} unless it is empty or starts like a DuckDB database:
   * the magic at byte 8, and a size made of whole pages.
   */
  public static void requireDuckdb(Path file, FileChannel ch) {
    try {
      long size = ch.size();
      if (size == 0) {
        return;
      }
      if (size < HEADERS || size % PAGE != 0) {
        throw HadbException.corrupt("the file " + file + " is not a DuckDB database: " + size
            + " bytes is not a DuckDB file size (3 headers of 4096 bytes, then whole blocks)");
      }
      ByteBuffer b = ByteBuffer.allocate(4);
      ch.read(b, 8);
      if (!java.util.Arrays.equals(b.array(), MAGIC)) {
        throw HadbException.corrupt("the file " + file + " is not a DuckDB database (no DUCK magic at byte 8);"
            + " move it away or choose another path");
      }
    } catch (IOException e) {
      throw HadbException.unavailable("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
