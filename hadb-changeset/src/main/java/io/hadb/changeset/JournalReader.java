package io.hadb.changeset;

import io.hadb.changeset.ChangesetFormatException.Problem;
import io.hadb.changeset.internal.EntryHash;
import io.hadb.changeset.internal.Errors;
import io.hadb.changeset.internal.FieldRules;
import io.hadb.changeset.internal.ObjectReader;
import io.hadb.changeset.internal.PlainSource;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Streams one HADBJ segment. Each entry's own chained hash is checked before {@link #next()}
 * returns it, so an entry is known intact on its own; the segment as a whole (its header fields
 * and that nothing was cut off) is verified only when {@link #finish()} returns. Apply entries in
 * a transaction committed after {@code finish()}, as with physical pages.
 */
public final class JournalReader implements AutoCloseable {
  private final ObjectReader reader;
  private final JournalHeader header;
  private final EntryHash hashes;
  private final byte[] hash = new byte[Checksum.LENGTH];
  private long read;
  private JournalEntry entry;
  private ChainLink link;
  private boolean failed;

  JournalReader(ObjectReader reader) {
    this.reader = reader;
    this.header = (JournalHeader) reader.header();
    this.hashes = new EntryHash(reader.headerBytes());
  }

  public static JournalReader open(InputStream in, DecodeOptions options) {
    return open(null, in, -1, options);
  }

  /** Opens and validates the header; {@code length} is the object's size or -1. */
  public static JournalReader open(
      String objectName, InputStream in, long length, DecodeOptions options) {
    return new JournalReader(Readers.open(objectName, in, length, options, Format.HADBJ));
  }

  public JournalHeader header() {
    return header;
  }

  public BodyEncoding encoding() {
    return reader.encoding();
  }

  /** Advances to the next entry (hash-checked, segment not yet verified); false after the last. */
  public boolean next() {
    if (failed) {
      throw new IllegalStateException("this reader already failed; open the object again");
    }
    if (read == header.entryCount()) {
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
      long expected = header.firstEntrySeq() + read;
      String what = "entry " + expected;
      long seq = src.readLong(what);
      if (seq != expected) {
        throw Errors.format(Problem.ENTRY_SEQ, reader.name(), at,
            "entry seq " + Long.toUnsignedString(seq) + " where " + expected + " was due");
      }
      int kind = src.readInt(what);
      String kindError = FieldRules.entryKind(kind);
      if (kindError != null) {
        throw Errors.format(Problem.UNKNOWN_ENTRY_KIND, reader.name(), at, what + ": "
            + kindError);
      }
      long len = src.readInt(what) & 0xFFFF_FFFFL;
      int limit = reader.options().maxEntrySize();
      if (len > limit) {
        throw Errors.format(Problem.LIMIT_EXCEEDED, reader.name(), at, what + " declares "
            + len + " payload bytes; the limit is " + limit);
      }
      long rem = reader.remaining();
      if (rem >= 0 && !reader.encoding().framed()
          && len + Checksum.LENGTH + Limits.TRAILER_LENGTH > rem) {
        throw Errors.format(Problem.TRUNCATED, reader.name(), at, what + " declares " + len
            + " payload bytes but only " + rem + " bytes remain");
      }
      byte[] payload = src.readDeclared((int) len, what);
      src.readFully(hash, 0, hash.length, what + " hash");
      byte[] computed = hashes.next(seq, kind, payload, payload.length);
      if (!MessageDigest.isEqual(hash, computed)) {
        throw Errors.format(Problem.ENTRY_HASH_MISMATCH, reader.name(), at, what
            + "'s hash does not match its contents and the entries before it");
      }
      if (kind == JournalEntry.KIND_SQL_BATCH) {
        SqlBatchCodec.validate(payload, reader.name(), at);
      }
      entry = new JournalEntry(seq, kind, payload);
      read++;
      return true;
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  /** The current entry. */
  public JournalEntry entry() {
    if (entry == null) {
      throw new IllegalStateException("call next() first");
    }
    return entry;
  }

  /**
   * Reads any entries not yet read, then the trailer; on return the segment is verified.
   *
   * @throws ChangesetKeyException when a key was given and it is the wrong one
   */
  public ChainLink finish() {
    if (link != null) {
      return link;
    }
    if (failed) {
      throw new IllegalStateException("this reader already failed; open the object again");
    }
    try {
      if (reader.mode() == ObjectReader.Mode.DECODE) {
        while (next()) {
          // Entries not read by the caller are still checked: they are part of the segment.
        }
      }
      link = reader.finish(header.entryCount() == 0);
      return link;
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  @Override
  public void close() {
    reader.close();
  }
}
