package io.hadb.changeset;

import io.hadb.api.HadbException;
import io.hadb.changeset.internal.FrameWriter;
import io.hadb.changeset.internal.HashingOutput;
import io.hadb.changeset.internal.HeaderCodec;
import io.hadb.changeset.internal.PlainSink;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Streams one HADBP changeset to an {@link OutputStream}: the header first (the page count and
 * db size are known before the body), then each page as it comes, hashed as it is written, then
 * the SHA-256 trailer. Memory stays at one 64 KiB buffer for small fields (plus one frame when
 * compressing or encrypting) whatever the changeset's size. Plain pages are hashed straight
 * from the caller's array and handed to {@code out} without a copy, so {@code out} sees about
 * two writes per page: wrap a file or socket stream in a {@code BufferedOutputStream}.
 *
 * <pre>{@code
 * try (PhysicalWriter w = PhysicalWriter.open(out, header, EncodeOptions.plain().withZstd())) {
 *   for (...) w.writePage(pageNumber, bytes);
 *   ChainLink link = w.finish();   // link.checksum() goes into the next header
 * }
 * }</pre>
 *
 * <p>Pages must come in strictly ascending order, each within 1..dbSizePages, exactly
 * {@code pageCount} of them. A violation throws {@code INVALID_ARGUMENT} and leaves the output
 * unusable: the caller must discard what was written. The writer never closes {@code out}.
 */
public final class PhysicalWriter implements AutoCloseable {
  private final PhysicalHeader header;
  private final BodyEncoding encoding;
  private final HashingOutput out;
  private final PlainSink sink;
  private final FrameWriter frames;
  private long written;
  private long lastPage;
  private boolean finished;
  private boolean failed;

  private PhysicalWriter(OutputStream stream, PhysicalHeader header, EncodeOptions options) {
    this.header = header;
    this.encoding = Encodings.forWrite(options);
    byte[] headerBytes = HeaderCodec.encode(header, encoding);
    if (encoding.framed()) {
      long frames = (header.plainBodyLength() + encoding.chunkSize() - 1) / encoding.chunkSize();
      if (frames > Limits.MAX_FRAMES) {
        throw HadbException.invalidArgument("the body would need " + frames
            + " frames; raise chunkSize");
      }
    }
    this.out = new HashingOutput(stream, "changeset seq " + header.seq());
    out.write(headerBytes, 0, headerBytes.length);
    if (encoding.framed()) {
      frames = new FrameWriter(out, encoding.chunkSize(), encoding.compression(),
          options.zstdLevel(), options.key().map(EncryptionKey::secretKey).orElse(null),
          encoding.nonce(), headerBytes);
      sink = frames;
    } else {
      frames = null;
      sink = out;
    }
  }

  /** Writes the header and returns a writer for the pages. */
  public static PhysicalWriter open(
      OutputStream out, PhysicalHeader header, EncodeOptions options) {
    HadbException.requireArg(out, "out");
    HadbException.requireArg(header, "header");
    HadbException.requireArg(options, "options");
    return new PhysicalWriter(out, header, options);
  }

  public PhysicalHeader header() {
    return header;
  }

  public BodyEncoding encoding() {
    return encoding;
  }

  public void writePage(long pageNumber, byte[] data) {
    HadbException.requireArg(data, "page data");
    if (data.length != header.pageSize()) {
      throw HadbException.invalidArgument("page " + pageNumber + " is " + data.length
          + " bytes; the page size is " + header.pageSize());
    }
    writePage(pageNumber, data, 0);
  }

  /** Writes {@code pageSize} bytes of {@code data} from {@code offset}. */
  public void writePage(long pageNumber, byte[] data, int offset) {
    HadbException.requireArg(data, "page data");
    if (offset < 0 || offset > data.length - header.pageSize()) {
      throw HadbException.invalidArgument("page " + pageNumber + ": " + header.pageSize()
          + " bytes from offset " + offset + " exceed the array's " + data.length);
    }
    checkPage(pageNumber);
    try {
      sink.writeInt((int) pageNumber);
      sink.write(data, offset, header.pageSize());
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    }
    lastPage = pageNumber;
    written++;
  }

  /** Writes the remaining bytes of {@code page}, which must be exactly one page. */
  public void writePage(long pageNumber, ByteBuffer page) {
    HadbException.requireArg(page, "page");
    if (page.remaining() != header.pageSize()) {
      throw HadbException.invalidArgument("page " + pageNumber + " has " + page.remaining()
          + " bytes; the page size is " + header.pageSize());
    }
    if (page.hasArray()) {
      writePage(pageNumber, page.array(), page.arrayOffset() + page.position());
    } else {
      byte[] copy = new byte[header.pageSize()];
      page.duplicate().get(copy);
      writePage(pageNumber, copy, 0);
    }
  }

  private void checkPage(long pageNumber) {
    if (finished || failed) {
      throw new IllegalStateException(finished ? "writer already finished" : "writer failed");
    }
    if (written >= header.pageCount()) {
      throw HadbException.invalidArgument("the header declares " + header.pageCount()
          + " pages; page " + pageNumber + " would be one more");
    }
    if (pageNumber < 1 || pageNumber > header.dbSizePages()) {
      throw HadbException.invalidArgument("page number " + pageNumber + " is outside 1.."
          + header.dbSizePages() + " (the db size after this change)");
    }
    if (pageNumber <= lastPage) {
      throw HadbException.invalidArgument("pages must be strictly ascending: " + pageNumber
          + " after " + lastPage);
    }
  }

  /** Writes the trailer and returns the new link; the output is complete after this. */
  public ChainLink finish() {
    if (finished || failed) {
      throw new IllegalStateException(finished ? "writer already finished" : "writer failed");
    }
    if (written != header.pageCount()) {
      failed = true;
      throw HadbException.invalidArgument("the header declares " + header.pageCount()
          + " pages but " + written + " were written");
    }
    if (frames != null) {
      frames.finish();
    }
    byte[] digest = out.finish();
    finished = true;
    return new ChainLink(header, encoding, Checksum.wrap(digest));
  }

  /** Releases native compression state; does not close the output stream. */
  @Override
  public void close() {
    if (frames != null) {
      frames.close();
    }
  }
}
