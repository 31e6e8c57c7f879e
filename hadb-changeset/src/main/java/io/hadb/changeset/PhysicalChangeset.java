package io.hadb.changeset;

import io.hadb.api.HadbException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole HADBP changeset in memory: the convenience over {@link PhysicalWriter} and
 * {@link PhysicalReader} for small changesets and tests. Large ones should stream.
 *
 * @param header the header; its page count must equal {@code pages.size()}
 * @param pages strictly ascending by number, each within 1..dbSizePages and one page long
 */
public record PhysicalChangeset(PhysicalHeader header, List<Page> pages) {

  public PhysicalChangeset {
    HadbException.requireArg(header, "header");
    pages = List.copyOf(HadbException.requireArg(pages, "pages"));
    if (pages.size() != header.pageCount()) {
      throw HadbException.invalidArgument("the header declares " + header.pageCount()
          + " pages but " + pages.size() + " were given");
    }
    long last = 0;
    for (Page p : pages) {
      if (p.number() <= last) {
        throw HadbException.invalidArgument("pages must be strictly ascending and unique: "
            + p.number() + " after " + last);
      }
      if (p.number() > header.dbSizePages()) {
        throw HadbException.invalidArgument("page " + p.number() + " is beyond the db size "
            + header.dbSizePages());
      }
      if (p.length() != header.pageSize()) {
        throw HadbException.invalidArgument("page " + p.number() + " is " + p.length()
            + " bytes; the page size is " + header.pageSize());
      }
      last = p.number();
    }
  }

  /** The decoded changeset and the verified link it forms. */
  public record Decoded(PhysicalChangeset changeset, ChainLink link) {}

  public Encoded encode(EncodeOptions options) {
    HadbException.requireArg(options, "options");
    int estimate = (int) Math.min(Integer.MAX_VALUE - 8,
        Limits.HEADER_LENGTH + header.plainBodyLength() + Limits.TRAILER_LENGTH + 64);
    ByteArrayOutputStream out = new ByteArrayOutputStream(options.framed() ? 1024 : estimate);
    ChainLink link;
    try (PhysicalWriter w = PhysicalWriter.open(out, header, options)) {
      for (Page p : pages) {
        w.writePage(p.number(), p.dataUnsafe(), 0);
      }
      link = w.finish();
    }
    return new Encoded(out.toByteArray(), link);
  }

  public static Decoded decode(byte[] bytes, DecodeOptions options) {
    return decode(null, bytes, options);
  }

  /** Decodes and fully verifies {@code bytes}; {@code objectName} is for messages (nullable). */
  public static Decoded decode(String objectName, byte[] bytes, DecodeOptions options) {
    HadbException.requireArg(bytes, "bytes");
    try (PhysicalReader r = PhysicalReader.open(objectName, new ByteArrayInputStream(bytes),
        bytes.length, options)) {
      List<Page> pages = new ArrayList<>();
      while (r.next()) {
        pages.add(new Page(r.pageNumber(), r.copyPage()));
      }
      ChainLink link = r.finish();
      return new Decoded(new PhysicalChangeset(r.header(), pages), link);
    }
  }
}
