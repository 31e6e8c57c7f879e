package io.hadb.chain.internal;

import io.hadb.api.HadbException;
import io.hadb.chain.PageImages;
import io.hadb.changeset.ChainLink;
import io.hadb.changeset.DecodeOptions;
import io.hadb.changeset.PhysicalHeader;
import io.hadb.changeset.PhysicalReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive changesets downloaded into one local file, each fully verified before any page of
 * the batch is applied, then applied together in one exclusive apply with one fsync. Batching is
 * what lets a follower keep up with a leader that ships many small changesets: the fixed cost
 * (staging fsync, database fsync, state record) is paid once per batch, not per changeset.
 *
 * <p>Layout: for each changeset an 8-byte big-endian length, then the object's bytes. The file
 * doubles as the apply record: it is fsynced before the first page is written, so after a crash
 * mid-apply it is still there, still verifiable, and applying it again repairs the database
 * (page images are idempotent, and the batch is applied in order).
 */
public final class StagedBatch implements PageImages {
  /** One changeset of the batch: where its bytes are in the file and what it links to. */
  public record Segment(long offset, long length, String name, ChainLink link) {
    public PhysicalHeader header() {
      return (PhysicalHeader) link.header();
    }

    public boolean isNoOp(long pagesBefore) {
      return header().pageCount() == 0 && header().dbSizePages() == pagesBefore;
    }
  }

  private final Path file;
  private final DecodeOptions options;
  private final List<Segment> segments;

  private StagedBatch(Path file, DecodeOptions options, List<Segment> segments) {
    this.file = file;
    this.options = options;
    this.segments = List.copyOf(segments);
  }

  public List<Segment> segments() {
    return segments;
  }

  public boolean isEmpty() {
    return segments.isEmpty();
  }

  public Segment last() {
    return segments.get(segments.size() - 1);
  }

  @Override
  public int pageSize() {
    return segments.get(0).header().pageSize();
  }

  @Override
  public long dbSizePages() {
    return last().header().dbSizePages();
  }

  /**
   * Every page of every changeset in chain order, so a later image of a page overwrites an
   * earlier one; pages past the batch's final size are skipped (a later changeset freed them).
   */
  @Override
  public void forEach(Visitor v) {
    long size = dbSizePages();
    byte[] buf = new byte[pageSize()];
    for (Segment s : segments) {
      try (InputStream in = segmentStream(file, s.offset(), s.length());
          PhysicalReader r = PhysicalReader.open(s.name(), in, s.length(), options)) {
        while (r.next()) {
          if (r.pageNumber() <= size) {
            r.page().get(buf);
            v.page(r.pageNumber(), buf);
          }
        }
        r.finish();
      } catch (IOException e) {
        throw HadbException.unavailable("reading staged batch " + file + " failed: " + e.getMessage(), e);
      }
    }
  }

  private static InputStream segmentStream(Path file, long offset, long length) {
    try {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
      ch.position(offset);
      InputStream raw = Channels.newInputStream(ch);
      return new BufferedInputStream(new java.io.FilterInputStream(raw) {
        long left = length;

        @Override
        public int read() throws IOException {
          if (left <= 0) {
            return -1;
          }
          int b = super.read();
          if (b >= 0) {
            left--;
          }
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (left <= 0) {
            return -1;
          }
          int n = super.read(b, off, (int) Math.min(len, left));
          if (n > 0) {
            left -= n;
          }
          return n;
        }
      }, 1 << 16);
    } catch (IOException e) {
      throw HadbException.unavailable("reading staged batch " + file + " failed: " + e.getMessage(), e);
    }
  }

  /** Re-reads and re-verifies a batch left by a crash; throws CORRUPT if any part fails. */
  public static StagedBatch recover(Path file, DecodeOptions options) {
    List<Segment> segs = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      long at = 0;
      ByteBuffer len = ByteBuffer.allocate(8);
      while (at < size) {
        len.clear();
        while (len.hasRemaining() && ch.read(len, at + len.position()) > 0) {
          // fill
        }
        if (len.hasRemaining() || len.getLong(0) <= 0 || at + 8 + len.getLong(0) > size) {
          throw HadbException.corrupt("staged batch " + file + " is cut short at offset " + at);
        }
        long n = len.getLong(0);
        String name = file + "@" + (at + 8);
        segs.add(new Segment(at + 8, n, name, verify(file, at + 8, n, name, options)));
        at += 8 + n;
      }
    } catch (IOException e) {
      throw HadbException.unavailable("reading staged batch " + file + " failed: " + e.getMessage(), e);
    }
    return new StagedBatch(file, options, segs);
  }

  private static ChainLink verify(Path file, long offset, long length, String name, DecodeOptions options) {
    try (InputStream in = segmentStream(file, offset, length);
        PhysicalReader r = PhysicalReader.open(name, in, length, options)) {
      return r.finish();
    } catch (IOException e) {
      throw HadbException.unavailable("reading staged batch " + file + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Builds a batch file; {@link #finish()} fsyncs it. The file is created with the first
   * segment: a follower polls often and mostly finds nothing new, and creating and fsyncing an
   * empty staging file on each poll cost an fsync per poll (a thousand a second at 1 ms polling),
   * disk time taken from the leader's uploads and the follower's own applies.
   */
  public static final class Writer implements AutoCloseable {
    private final Path file;
    private final DecodeOptions options;
    private FileChannel ch; // null until the first segment
    private final List<Segment> segments = new ArrayList<>();
    private long size;

    public Writer(Path file, DecodeOptions options) {
      this.file = file;
      this.options = options;
    }

    private FileChannel channel() {
      if (ch == null) {
        try {
          ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
          throw HadbException.unavailable("cannot create staging file " + file + ": " + e.getMessage(), e);
        }
      }
      return ch;
    }

    public int count() {
      return segments.size();
    }

    public int firstPageSize() {
      return segments.get(0).header().pageSize();
    }

    public long bytes() {
      return size;
    }

    /**
     * Appends the object read from {@code in} (closed here) and verifies it (whole-object
     * checksum, format). On failure the file is cut back, so the batch keeps only good segments.
     */
    public Segment add(InputStream in, String name) {
      long start = size;
      long length;
      try (InputStream src = in) {
        FileChannel ch = channel();
        ch.write(ByteBuffer.allocate(8), start);
        ch.position(start + 8);
        OutputStream out = Channels.newOutputStream(ch);
        length = src.transferTo(out);
        ch.write(ByteBuffer.allocate(8).putLong(0, length), start);
      } catch (IOException e) {
        cutBack(start);
        throw HadbException.unavailable("downloading " + name + " to " + file + " failed: " + e.getMessage(), e);
      }
      try {
        Segment s = new Segment(start + 8, length, name, verify(file, start + 8, length, name, options));
        size = start + 8 + length;
        segments.add(s);
        return s;
      } catch (RuntimeException e) {
        cutBack(start);
        throw e;
      }
    }

    /** Drops the last segment (it does not fit this batch: another page size). */
    public void dropLast() {
      Segment s = segments.remove(segments.size() - 1);
      size = s.offset() - 8;
      cutBack(size);
    }

    private void cutBack(long to) {
      try {
        ch.truncate(to);
      } catch (IOException e) {
        throw HadbException.unavailable("cutting staging file " + file + " failed: " + e.getMessage(), e);
      }
    }

    /** Makes the batch durable (it is the apply record) and returns it. */
    public StagedBatch finish() {
      if (ch == null) {
        return new StagedBatch(file, options, segments); // nothing staged, no file
      }
      try {
        ch.force(true);
      } catch (IOException e) {
        throw HadbException.unavailable("fsync of staging file " + file + " failed: " + e.getMessage(), e);
      }
      return new StagedBatch(file, options, segments);
    }

    @Override
    public void close() {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException e) {
          // the batch was fsynced by finish(), or it is abandoned
        }
      }
    }
  }
}
