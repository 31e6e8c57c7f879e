package io.hadb.chain.internal;

import io.hadb.api.BodySource;
import io.hadb.chain.PageImages;
import io.hadb.changeset.ChainLink;
import io.hadb.changeset.EncodeOptions;
import io.hadb.changeset.PhysicalHeader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Encodes each changeset once, so that every retry of its upload sends the very same bytes:
 * small ones in memory, larger ones through a spool file (never whole in the heap). One thread
 * at a time: the bytes of the last encode stay valid until the next one.
 */
final class ChangesetEncoder implements AutoCloseable {
  /** Changesets up to this size are encoded in memory rather than through the spool file. */
  private static final long IN_MEMORY_MAX_BYTES = 4L << 20;

  private final EncodeOptions options;
  private final Path spool;
  /** The in-memory body, reused (see {@link ShipBuffer}). */
  private final ShipBuffer buffer = new ShipBuffer();

  /** An encoded changeset: its link, its bytes and their size. */
  record Encoded(ChainLink link, BodySource body, long bytes) {}

  ChangesetEncoder(EncodeOptions options, Path spool) {
    this.options = options;
    this.spool = spool;
  }

  /**
   * Small changesets go to memory: a spool file would be written and read back on every ship,
   * CPU taken from the writers.
   */
  Encoded encode(PageImages pages, PhysicalHeader header) {
    if (header.pageCount() * pages.pageSize() <= IN_MEMORY_MAX_BYTES) {
      buffer.reset();
      ChainLink link = SpooledObject.encode(pages, header, options, buffer);
      return new Encoded(link, buffer.body(), buffer.size());
    }
    ChainLink link = SpooledObject.encode(pages, header, options, spool);
    return new Encoded(link, BodySource.ofFile(spool), spoolSize());
  }

  private long spoolSize() {
    try {
      return Files.size(spool);
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    Spool.deleteQuietly(spool);
  }

  /**
   * The in-memory changeset body, one buffer reused for every ship. A fresh buffer per ship,
   * then its copy, then the copy BodySource.of makes, allocated and zeroed about three times the
   * changeset per ship on the thread that competes with the writers for CPU. The bytes stay
   * unchanged until the next encode, after the upload and its retries are over.
   */
  private static final class ShipBuffer extends ByteArrayOutputStream {
    ShipBuffer() {
      super(64 * 1024);
    }

    BodySource body() {
      byte[] bytes = buf;
      int length = count;
      return new BodySource() {
        @Override
        public InputStream open() {
          return new ByteArrayInputStream(bytes, 0, length);
        }

        @Override
        public long length() {
          return length;
        }
      };
    }
  }
}
