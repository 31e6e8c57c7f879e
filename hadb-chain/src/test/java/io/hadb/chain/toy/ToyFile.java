package io.hadb.chain.toy;

import io.hadb.api.HadbException;
import io.hadb.chain.Applier;
import io.hadb.chain.MemoryPages;
import io.hadb.chain.PageImages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.TreeMap;

/**
 * The file of the toy engine: 512-byte pages, page 1 starting with "TOYDB" and a change counter
 * (the stamp) at bytes 8–11 that every commit and every apply moves. Small enough to read whole;
 * the point of the toy is the seam, not the storage.
 */
final class ToyFile implements AutoCloseable {
  static final int PAGE = 512;
  private static final byte[] MAGIC = "TOYDB\0\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final Path path;
  private final FileChannel ch;

  ToyFile(Path path) {
    this.path = path;
    try {
      ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw HadbException.unavailable("opening " + path + ": " + e.getMessage(), e);
    }
  }

  Path path() {
    return path;
  }

  long size() {
    try {
      return ch.size();
    } catch (IOException e) {
      throw HadbException.unavailable("size of " + path + ": " + e.getMessage(), e);
    }
  }

  long pages() {
    return size() / PAGE;
  }

  byte[] read(long pageNo) {
    ByteBuffer b = ByteBuffer.allocate(PAGE);
    try {
      while (b.hasRemaining() && ch.read(b, (pageNo - 1) * PAGE + b.position()) > 0) {
        // fill
      }
    } catch (IOException e) {
      throw HadbException.unavailable("reading " + path + ": " + e.getMessage(), e);
    }
    return b.array();
  }

  void write(long pageNo, byte[] data) {
    try {
      ByteBuffer b = ByteBuffer.wrap(data, 0, PAGE);
      while (b.hasRemaining()) {
        ch.write(b, (pageNo - 1) * PAGE + b.position());
      }
    } catch (IOException e) {
      throw HadbException.unavailable("writing " + path + ": " + e.getMessage(), e);
    }
  }

  void truncate(long pages) {
    try {
      ch.truncate(pages * PAGE);
    } catch (IOException e) {
      throw HadbException.unavailable("truncating " + path + ": " + e.getMessage(), e);
    }
  }

  void force() {
    try {
      ch.force(false);
    } catch (IOException e) {
      throw HadbException.unavailable("syncing " + path + ": " + e.getMessage(), e);
    }
  }

  /** The change counter, or -1 while the file has no page 1. */
  int stamp() {
    if (size() < PAGE) {
      return -1;
    }
    return ByteBuffer.wrap(read(1)).getInt(8);
  }

  /** Moves the change counter (a commit, or a write outside the library). */
  void bumpStamp() {
    byte[] p1 = size() < PAGE ? new byte[PAGE] : read(1);
    System.arraycopy(MAGIC, 0, p1, 0, MAGIC.length);
    ByteBuffer.wrap(p1).putInt(8, ByteBuffer.wrap(p1).getInt(8) + 1);
    write(1, p1);
  }

  boolean valid() {
    return size() >= PAGE && java.util.Arrays.equals(java.util.Arrays.copyOf(read(1), MAGIC.length), MAGIC);
  }

  /** Writes {@code images} straight in (no lock: the caller has the file to itself). */
  void writeAll(PageImages images) {
    long size = images.dbSizePages();
    images.forEach((no, data) -> {
      if (no >= 1 && no <= size) {
        write(no, data);
      }
    });
    if (pages() > size) {
      truncate(size);
    }
  }

  /** Every page as it is now. */
  PageImages all() {
    long n = pages();
    TreeMap<Long, byte[]> copy = new TreeMap<>();
    for (long p = 1; p <= n; p++) {
      copy.put(p, read(p));
    }
    return images(copy, n);
  }

  static PageImages images(TreeMap<Long, byte[]> pages, long dbSizePages) {
    return MemoryPages.of(PAGE, dbSizePages, pages);
  }

  /** An applier writing straight in, for a file nobody reads yet. */
  Applier raw() {
    return this::writeAll;
  }

  @Override
  public void close() {
    try {
      ch.close();
    } catch (IOException e) {
      // nothing left to write
    }
  }
}
