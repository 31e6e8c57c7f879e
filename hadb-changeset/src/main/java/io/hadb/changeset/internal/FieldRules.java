package io.hadb.changeset.internal;

import io.hadb.changeset.Limits;

/**
 * The field rules of FORMAT.md, shared by the header records (which refuse bad arguments) and the
 * readers (which report bad stored bytes). Each method returns why a value is wrong, or null.
 */
public final class FieldRules {
  private FieldRules() {}

  public static String seq(long seq) {
    return seq < 1 ? "seq must be >= 1 (and below 2^63), was " + Long.toUnsignedString(seq) : null;
  }

  public static String epoch(long epoch) {
    return epoch < 0 ? "epoch must be below 2^63, was " + Long.toUnsignedString(epoch) : null;
  }

  public static String createdMillis(long t) {
    return t < 0 ? "created time must be >= 0 ms since 1970, was " + t : null;
  }

  public static String pageSize(int n) {
    return Limits.isValidPageSize(n)
        ? null
        : "page size must be a power of two from " + Limits.MIN_PAGE_SIZE + " to "
            + Limits.MAX_PAGE_SIZE + ", was " + Integer.toUnsignedString(n);
  }

  public static String physicalCounts(long dbSizePages, long pageCount) {
    if (dbSizePages < 0 || dbSizePages > Limits.MAX_U32) {
      return "db size must be 0.." + Limits.MAX_U32 + " pages, was " + dbSizePages;
    }
    if (pageCount < 0 || pageCount > dbSizePages) {
      return "page count must be 0..db size (" + dbSizePages + "), was " + pageCount;
    }
    return null;
  }

  public static String journalCounts(long firstEntrySeq, long entryCount) {
    if (firstEntrySeq < 1) {
      return "first entry seq must be >= 1 (and below 2^63), was "
          + Long.toUnsignedString(firstEntrySeq);
    }
    if (entryCount < 0 || entryCount > Limits.MAX_U32) {
      return "entry count must be 0.." + Limits.MAX_U32 + ", was " + entryCount;
    }
    if (entryCount > 0 && firstEntrySeq > Long.MAX_VALUE - (entryCount - 1)) {
      return "entry seqs overflow: first " + firstEntrySeq + " + count " + entryCount;
    }
    return null;
  }

  /** Kind 1 is an SQL batch; kinds 0x80000000..0xFFFFFFFF are engine-defined; others reserved. */
  public static String entryKind(int kind) {
    return kind == 1 || kind < 0
        ? null
        : "entry kind " + Integer.toUnsignedString(kind)
            + " is reserved (1 = SQL batch, 0x80000000 and up = engine-defined)";
  }
}
