package io.hadb.changeset;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;

/**
 * The stored chain is broken at one object. {@link ErrorCode#CORRUPT}; {@link #kind()} says how,
 * {@link #objectKey()} and {@link #seq()} say where.
 */
public class ChainException extends HadbException {
  private static final long serialVersionUID = 1L;

  /** How a chain can break. Each is a distinct failure a follower or an audit must report. */
  public enum Kind {
    /** A seq is missing: the next object's seq is more than one past the last. */
    GAP,
    /** Two objects with the same seq (identical, or a fork when their bytes differ). */
    DUPLICATE,
    /** An object whose seq is lower than one already verified. */
    REORDER,
    /** An object whose epoch is lower than an epoch already seen (a fenced-out writer). */
    EPOCH_BACKWARDS,
    /** An object's previous-checksum is not the checksum of the object before it. */
    PREV_CHECKSUM_MISMATCH,
    /** The seq in the object key differs from the seq in its header. */
    KEY_SEQ_MISMATCH,
    /** An object key under changes/ that is not a canonical changeset key. */
    BAD_KEY,
    /** Journal segments whose entry sequence numbers do not continue one another. */
    ENTRY_GAP,
    /** The object itself is corrupt (its cause is the {@link ChangesetFormatException}). */
    CORRUPT,
    /** A snapshot whose recorded chain checksum is not the checksum of the changeset at its seq. */
    SNAPSHOT_MISMATCH
  }

  private final Kind kind;
  private final String objectKey;
  private final long seq;

  public ChainException(Kind kind, String objectKey, long seq, String detail) {
    this(kind, objectKey, seq, detail, null);
  }

  public ChainException(Kind kind, String objectKey, long seq, String detail, Throwable cause) {
    super(ErrorCode.CORRUPT,
        "chain broken at " + objectKey + (seq > 0 ? " (seq " + seq + ")" : "") + ": " + kind
            + ": " + detail,
        cause);
    this.kind = kind;
    this.objectKey = objectKey;
    this.seq = seq;
  }

  public Kind kind() {
    return kind;
  }

  /** The key (or name) of the object at which the chain breaks. */
  public String objectKey() {
    return objectKey;
  }

  /** The seq of that object (from its header, or else from its key), or 0 if unknown. */
  public long seq() {
    return seq;
  }
}
