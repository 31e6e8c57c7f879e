package io.hadb.changeset;

import io.hadb.api.HadbException;
import io.hadb.api.engine.SqlStatement;
import io.hadb.changeset.internal.EntryHash;
import io.hadb.changeset.internal.FieldRules;
import io.hadb.changeset.internal.FrameWriter;
import io.hadb.changeset.internal.HashingOutput;
import io.hadb.changeset.internal.HeaderCodec;
import io.hadb.changeset.internal.PlainSink;
import java.io.OutputStream;
import java.util.List;

/**
 * Streams one HADBJ journal segment: the header (with its entry count), then entries numbered
 * from {@link JournalHeader#firstEntrySeq()}, each followed by its chained hash, then the
 * SHA-256 trailer. The writer never closes {@code out}.
 */
public final class JournalWriter implements AutoCloseable {
  private final JournalHeader header;
  private final BodyEncoding encoding;
  private final HashingOutput out;
  private final PlainSink sink;
  private final FrameWriter frames;
  private final EntryHash hashes;
  private long written;
  private boolean finished;
  private boolean failed;

  private JournalWriter(OutputStream stream, JournalHeader header, EncodeOptions options) {
    this.header = header;
    this.encoding = Encodings.forWrite(options);
    byte[] headerBytes = HeaderCodec.encode(header, encoding);
    this.hashes = new EntryHash(headerBytes);
    this.out = new HashingOutput(stream, "journal segment seq " + header.seq());
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

  public static JournalWriter open(OutputStream out, JournalHeader header, EncodeOptions options) {
    HadbException.requireArg(out, "out");
    HadbException.requireArg(header, "header");
    HadbException.requireArg(options, "options");
    return new JournalWriter(out, header, options);
  }

  public JournalHeader header() {
    return header;
  }

  public BodyEncoding encoding() {
    return encoding;
  }

  /** The seq the next appended entry gets. */
  public long nextSeq() {
    return header.firstEntrySeq() + written;
  }

  /** Appends an entry with the next seq; returns that seq. */
  public long append(int kind, byte[] payload) {
    HadbException.requireArg(payload, "payload");
    String kindError = FieldRules.entryKind(kind);
    if (kindError != null) {
      throw HadbException.invalidArgument(kindError);
    }
    if (payload.length > Limits.MAX_ENTRY_SIZE) {
      throw HadbException.invalidArgument("entry payload is " + payload.length
          + " bytes; the limit is " + Limits.MAX_ENTRY_SIZE);
    }
    if (finished || failed) {
      throw new IllegalStateException(finished ? "writer already finished" : "writer failed");
    }
    if (written >= header.entryCount()) {
      throw HadbException.invalidArgument("the header declares " + header.entryCount()
          + " entries; this would be one more");
    }
    long seq = nextSeq();
    try {
      sink.writeLong(seq);
      sink.writeInt(kind);
      sink.writeInt(payload.length);
      sink.write(payload, 0, payload.length);
      byte[] h = hashes.next(seq, kind, payload, payload.length);
      sink.write(h, 0, h.length);
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    }
    written++;
    return seq;
  }

  /** Appends an entry whose seq must be {@link #nextSeq()}. */
  public long append(JournalEntry entry) {
    HadbException.requireArg(entry, "entry");
    if (entry.seq() != nextSeq()) {
      throw HadbException.invalidArgument("entry seq " + entry.seq() + " is not the next one ("
          + nextSeq() + ")");
    }
    return append(entry.kind(), entry.payloadUnsafe());
  }

  /** Appends an SQL batch (statements applied in one transaction). */
  public long appendSql(List<SqlStatement> statements) {
    return append(JournalEntry.KIND_SQL_BATCH, SqlBatchCodec.encode(statements));
  }

  public ChainLink finish() {
    if (finished || failed) {
      throw new IllegalStateException(finished ? "writer already finished" : "writer failed");
    }
    if (written != header.entryCount()) {
      failed = true;
      throw HadbException.invalidArgument("the header declares " + header.entryCount()
          + " entries but " + written + " were appended");
    }
    if (frames != null) {
      frames.finish();
    }
    byte[] digest = out.finish();
    finished = true;
    return new ChainLink(header, encoding, Checksum.wrap(digest));
  }

  @Override
  public void close() {
    if (frames != null) {
      frames.close();
    }
  }
}
