package io.hadb.changeset;

import io.hadb.changeset.ChangesetFormatException.Problem;
import io.hadb.changeset.internal.Errors;
import io.hadb.changeset.internal.ObjectReader;
import io.hadb.changeset.internal.PlainSource;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Streams one HADBP changeset from an {@link InputStream}, holding one page (and one frame) at a
 * time.
 *
 * <p><b>Pages are unverified until {@link #finish()} returns.</b> The checksum covers the whole
 * object and is only known at its end, so a page handed out by {@link #next()} may belong to a
 * corrupt or truncated object. An engine must therefore stage pages (a side file, an apply
 * record, a staging copy) and make them visible only after {@code finish()} returned; on any
 * exception it discards the staged pages. {@link Changesets#apply} packages this pattern.
 *
 * <p>Without a key an encrypted changeset still verifies: {@link #finish()} walks and hashes the
 * stored frames and returns the link; {@link #next()} throws {@link ChangesetKeyException} (after
 * checking the object is intact, so a corrupted key-id field is reported as corruption).
 */
public final class PhysicalReader implements AutoCloseable {
  private final ObjectReader reader;
  private final PhysicalHeader header;
  /** Holds a page that does not lie whole in the source's buffer, and the last one at finish. */
  private final byte[] page;
  /** Where the current page is: usually the source's buffer (no copy), else {@link #page}. */
  private byte[] pageArray;
  private int pageOffset;
  private long read;
  private long pageNumber;
  private ChainLink link;
  private boolean failed;

  PhysicalReader(ObjectReader reader) {
    this.reader = reader;
    this.header = (PhysicalHeader) reader.header();
    this.page = new byte[header.pageSize()];
  }

  /** Opens a stream of unknown length. */
  public static PhysicalReader open(InputStream in, DecodeOptions options) {
    return open(null, in, -1, options);
  }

  /**
   * Opens and validates the header.
   *
   * @param objectName the storage key or file name, for messages; may be null
   * @param length the object's exact size if known (then every declared length is checked
   *     against it up front), or -1
   */
  public static PhysicalReader open(
      String objectName, InputStream in, long length, DecodeOptions options) {
    return new PhysicalReader(Readers.open(objectName, in, length, options, Format.HADBP));
  }

  public PhysicalHeader header() {
    return header;
  }

  public BodyEncoding encoding() {
    return reader.encoding();
  }

  /**
   * Advances to the next page; false after the last one. The page is <b>not yet verified</b>.
   *
   * @throws ChangesetKeyException when the body is encrypted and no key, or another key, was
   *     given (the object's integrity is verified first)
   */
  public boolean next() {
    checkUsable();
    if (read == header.pageCount()) {
      return false;
    }
    if (reader.mode() != ObjectReader.Mode.DECODE) {
      failed = true;
      reader.finish(false);
      throw reader.keyException();
    }
    try {
      PlainSource src = reader.plain();
      long at = src.position();
      long number = src.readInt("the page number of page index " + read) & 0xFFFF_FFFFL;
      if (number < 1 || number > header.dbSizePages()) {
        throw Errors.format(Problem.PAGE_ORDER, reader.name(), at, "page number " + number
            + " is outside 1.." + header.dbSizePages() + " (the db size after this change)");
      }
      if (number <= pageNumber) {
        throw Errors.format(Problem.PAGE_ORDER, reader.name(), at, "page " + number
            + " follows page " + pageNumber + "; pages must be strictly ascending");
      }
      PlainSource.Slice slice = src.slice(page.length, page, "page " + number);
      pageArray = slice.array();
      pageOffset = slice.offset();
      pageNumber = number;
      read++;
      return true;
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  /** The current page's number (1-based: page n covers file bytes (n-1)*pageSize..). */
  public long pageNumber() {
    if (read == 0) {
      throw new IllegalStateException("call next() first");
    }
    return pageNumber;
  }

  /** A read-only view of the current page, valid until the next call to {@link #next()}. */
  public ByteBuffer page() {
    pageNumber();
    return ByteBuffer.wrap(pageArray, pageOffset, page.length).slice().asReadOnlyBuffer();
  }

  /** A copy of the current page. */
  public byte[] copyPage() {
    pageNumber();
    return Arrays.copyOfRange(pageArray, pageOffset, pageOffset + page.length);
  }

  /**
   * Reads (and checks) any pages not yet read, then the trailer: on return the whole object is
   * verified and its link is returned. Idempotent once successful.
   *
   * @throws ChangesetFormatException when anything in the object is wrong
   * @throws ChangesetKeyException when a key was given and it is not the one that sealed the
   *     body (no key at all is fine: verifying needs none)
   */
  public ChainLink finish() {
    if (link != null) {
      return link;
    }
    checkUsable();
    try {
      if (reader.mode() == ObjectReader.Mode.DECODE) {
        while (next()) {
          // Unread pages are still parsed: order and range are part of what finish() verifies.
        }
      }
      if (pageArray != null && pageArray != page) {
        // The trailer read may refill the source's buffer: keep the last page readable.
        System.arraycopy(pageArray, pageOffset, page, 0, page.length);
        pageArray = page;
        pageOffset = 0;
      }
      link = reader.finish(header.pageCount() == 0);
      return link;
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  private void checkUsable() {
    if (failed) {
      throw new IllegalStateException("this reader already failed; open the object again");
    }
  }

  @Override
  public void close() {
    reader.close();
  }
}
