package io.hadb.changeset;

import io.hadb.api.HadbException;
import io.hadb.changeset.internal.FieldRules;
import java.util.Arrays;

/**
 * One logical change in a journal segment.
 *
 * @param seq the entry's sequence number, consecutive across the whole journal
 * @param kind {@link #KIND_SQL_BATCH}, or an engine-defined kind from
 *     {@link #FIRST_ENGINE_KIND} (0x80000000) up, compared unsigned; other values are reserved
 * @param payload the entry's bytes (for {@link #KIND_SQL_BATCH}, see {@link SqlBatchCodec})
 */
public record JournalEntry(long seq, int kind, byte[] payload) {
  /** Statements and parameters applied in one transaction; payload per {@link SqlBatchCodec}. */
  public static final int KIND_SQL_BATCH = 1;
  /** The first engine-defined kind; engines own 0x80000000..0xFFFFFFFF. */
  public static final int FIRST_ENGINE_KIND = 0x8000_0000;

  public JournalEntry {
    if (seq < 1) {
      throw HadbException.invalidArgument("entry seq must be >= 1, was " + seq);
    }
    String kindError = FieldRules.entryKind(kind);
    if (kindError != null) {
      throw HadbException.invalidArgument(kindError);
    }
    HadbException.requireArg(payload, "payload");
    if (payload.length > Limits.MAX_ENTRY_SIZE) {
      throw HadbException.invalidArgument("entry payload is " + payload.length
          + " bytes; the limit is " + Limits.MAX_ENTRY_SIZE);
    }
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  int payloadLength() {
    return payload.length;
  }

  byte[] payloadUnsafe() {
    return payload;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JournalEntry e && e.seq == seq && e.kind == kind
        && Arrays.equals(e.payload, payload);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(seq) * 31 + kind * 17 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "JournalEntry[seq=" + seq + ", kind=" + Integer.toUnsignedString(kind) + ", "
        + payload.length + " bytes]";
  }
}
