package io.hadb.changeset.internal;

import io.hadb.changeset.BodyEncoding;
import io.hadb.changeset.ChangesetFormatException.Problem;
import io.hadb.changeset.ChangesetHeader;
import io.hadb.changeset.Checksum;
import io.hadb.changeset.Compression;
import io.hadb.changeset.DecodeOptions;
import io.hadb.changeset.Format;
import io.hadb.changeset.JournalHeader;
import io.hadb.changeset.Limits;
import io.hadb.changeset.Nonce;
import io.hadb.changeset.PhysicalHeader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The 104-byte header of both formats (FORMAT.md §3). Offsets are shared; bytes 8..11 are the
 * page size (HADBP) or the entry count (HADBJ), 40..47 the db size and page count (HADBP) or the
 * first entry seq (HADBJ).
 */
public final class HeaderCodec {
  public static final int FLAG_ZSTD = 0x0001;
  public static final int FLAG_AES_256_GCM = 0x0002;
  public static final int KNOWN_FLAGS = FLAG_ZSTD | FLAG_AES_256_GCM;

  static final int OFF_VERSION = 5;
  static final int OFF_FLAGS = 6;
  static final int OFF_PAGE_SIZE_OR_COUNT = 8;
  static final int OFF_CHUNK = 12;
  static final int OFF_SEQ = 16;
  static final int OFF_EPOCH = 24;
  static final int OFF_CREATED = 32;
  static final int OFF_DB_SIZE_OR_FIRST = 40;
  static final int OFF_PAGE_COUNT = 44;
  static final int OFF_PREV = 48;
  static final int OFF_KEY_ID = 80;
  static final int OFF_NONCE = 88;
  static final int OFF_RESERVED = 100;

  private HeaderCodec() {}

  public static int flags(BodyEncoding enc) {
    return (enc.compression() == Compression.ZSTD ? FLAG_ZSTD : 0)
        | (enc.encrypted() ? FLAG_AES_256_GCM : 0);
  }

  public static byte[] encode(ChangesetHeader h, BodyEncoding enc) {
    byte[] b = new byte[Limits.HEADER_LENGTH];
    byte[] magic = h.format().magic().getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, b, 0, 5);
    b[OFF_VERSION] = (byte) Format.VERSION;
    Be.putShort(b, OFF_FLAGS, flags(enc));
    Be.putInt(b, OFF_CHUNK, enc.chunkSize());
    Be.putLong(b, OFF_SEQ, h.seq());
    Be.putLong(b, OFF_EPOCH, h.epoch());
    Be.putLong(b, OFF_CREATED, h.createdMillis());
    byte[] prev = h.prevChecksum().toBytes();
    System.arraycopy(prev, 0, b, OFF_PREV, Checksum.LENGTH);
    Be.putLong(b, OFF_KEY_ID, enc.keyId());
    System.arraycopy(enc.nonce().toBytes(), 0, b, OFF_NONCE, Nonce.LENGTH);
    if (h instanceof PhysicalHeader p) {
      Be.putInt(b, OFF_PAGE_SIZE_OR_COUNT, p.pageSize());
      Be.putInt(b, OFF_DB_SIZE_OR_FIRST, (int) p.dbSizePages());
      Be.putInt(b, OFF_PAGE_COUNT, (int) p.pageCount());
    } else {
      JournalHeader j = (JournalHeader) h;
      Be.putInt(b, OFF_PAGE_SIZE_OR_COUNT, (int) j.entryCount());
      Be.putLong(b, OFF_DB_SIZE_OR_FIRST, j.firstEntrySeq());
    }
    return b;
  }

  /** A parsed, fully validated header. */
  public record Parsed(ChangesetHeader header, BodyEncoding encoding) {}

  /**
   * Validates every field; any violation is a {@link Problem} naming the field's offset. Checks
   * run in byte order so the first wrong field is the one reported.
   */
  public static Parsed decode(byte[] b, String name, DecodeOptions opts) {
    Format format = null;
    for (Format f : Format.values()) {
      if (Arrays.equals(b, 0, 5, f.magic().getBytes(StandardCharsets.US_ASCII), 0, 5)) {
        format = f;
      }
    }
    if (format == null) {
      throw Errors.format(Problem.BAD_MAGIC, name, 0,
          "not a changeset: expected \"HADBP\" or \"HADBJ\", found " + printable(b, 5));
    }
    int version = b[OFF_VERSION] & 0xFF;
    if (version != Format.VERSION) {
      throw Errors.format(Problem.UNSUPPORTED_VERSION, name, OFF_VERSION, format.magic()
          + " version " + version + " is not supported (this reader knows version "
          + Format.VERSION + ")");
    }
    int flags = Be.getShort(b, OFF_FLAGS);
    if ((flags & ~KNOWN_FLAGS) != 0) {
      throw Errors.format(Problem.UNKNOWN_FLAGS, name, OFF_FLAGS, String.format(
          "unknown flag bits 0x%04x (known: 0x0001 zstd, 0x0002 AES-256-GCM)",
          flags & ~KNOWN_FLAGS));
    }
    boolean zstd = (flags & FLAG_ZSTD) != 0;
    boolean encrypted = (flags & FLAG_AES_256_GCM) != 0;
    boolean framed = zstd || encrypted;

    int sizeOrCount = Be.getInt(b, OFF_PAGE_SIZE_OR_COUNT);
    if (format == Format.HADBP) {
      field(FieldRules.pageSize(sizeOrCount), name, OFF_PAGE_SIZE_OR_COUNT);
    }
    int chunk = Be.getInt(b, OFF_CHUNK);
    if (framed) {
      if (!Limits.isValidChunkSize(chunk)) {
        throw bad(name, OFF_CHUNK, "chunk size must be a power of two from "
            + Limits.MIN_CHUNK_SIZE + " to " + Limits.MAX_CHUNK_SIZE + " for a framed body, was "
            + Integer.toUnsignedString(chunk));
      }
      if (chunk > opts.maxChunkSize()) {
        throw Errors.format(Problem.LIMIT_EXCEEDED, name, OFF_CHUNK, "chunk size " + chunk
            + " is above this reader's limit of " + opts.maxChunkSize());
      }
    } else if (chunk != 0) {
      throw bad(name, OFF_CHUNK, "chunk size must be 0 for a plain body, was "
          + Integer.toUnsignedString(chunk));
    }
    long seq = Be.getLong(b, OFF_SEQ);
    field(FieldRules.seq(seq), name, OFF_SEQ);
    long epoch = Be.getLong(b, OFF_EPOCH);
    field(FieldRules.epoch(epoch), name, OFF_EPOCH);
    long created = Be.getLong(b, OFF_CREATED);
    field(FieldRules.createdMillis(created), name, OFF_CREATED);

    ChangesetHeader header;
    byte[] prevBytes = Arrays.copyOfRange(b, OFF_PREV, OFF_PREV + Checksum.LENGTH);
    Checksum prev = Checksum.of(prevBytes);
    if (format == Format.HADBP) {
      long dbSize = Be.getInt(b, OFF_DB_SIZE_OR_FIRST) & 0xFFFF_FFFFL;
      long count = Be.getInt(b, OFF_PAGE_COUNT) & 0xFFFF_FFFFL;
      field(FieldRules.physicalCounts(dbSize, count), name, OFF_PAGE_COUNT);
      if (framed) {
        long plain = count * (4L + sizeOrCount);
        if ((plain + chunk - 1) / chunk > Limits.MAX_FRAMES) {
          throw bad(name, OFF_CHUNK, "the body would need more than " + Limits.MAX_FRAMES
              + " frames of " + chunk + " bytes");
        }
      }
      header = new PhysicalHeader(seq, epoch, sizeOrCount, dbSize, count, created, prev);
    } else {
      long count = sizeOrCount & 0xFFFF_FFFFL;
      long first = Be.getLong(b, OFF_DB_SIZE_OR_FIRST);
      field(FieldRules.journalCounts(first, count), name, OFF_DB_SIZE_OR_FIRST);
      header = new JournalHeader(seq, epoch, first, count, created, prev);
    }
    long keyId = Be.getLong(b, OFF_KEY_ID);
    Nonce nonce = Nonce.of(Arrays.copyOfRange(b, OFF_NONCE, OFF_NONCE + Nonce.LENGTH));
    if (!encrypted && (keyId != 0 || !nonce.equals(Nonce.ZERO))) {
      throw bad(name, OFF_KEY_ID, "key id and nonce must be zero when the body is not encrypted");
    }
    if (Be.getInt(b, OFF_RESERVED) != 0) {
      throw bad(name, OFF_RESERVED, "reserved bytes 100..103 must be zero");
    }
    BodyEncoding enc = new BodyEncoding(zstd ? Compression.ZSTD : Compression.NONE, encrypted,
        framed ? chunk : 0, keyId, nonce);
    return new Parsed(header, enc);
  }

  private static void field(String error, String name, int offset) {
    if (error != null) {
      throw bad(name, offset, error);
    }
  }

  private static RuntimeException bad(String name, int offset, String detail) {
    return Errors.format(Problem.BAD_FIELD, name, offset, detail);
  }

  private static String printable(byte[] b, int n) {
    StringBuilder s = new StringBuilder("\"");
    for (int i = 0; i < n && i < b.length; i++) {
      int c = b[i] & 0xFF;
      s.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
    }
    return s.append('"').toString();
  }
}
