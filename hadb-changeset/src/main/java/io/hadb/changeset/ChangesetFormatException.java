package io.hadb.changeset;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import java.util.Optional;

/**
 * Stored bytes are not a valid changeset: corrupt, truncated, tampered with, or written by
 * something that does not follow FORMAT.md. Always {@link ErrorCode#CORRUPT}; the message names
 * the object and the byte offset where the reader stopped.
 */
public class ChangesetFormatException extends HadbException {
  private static final long serialVersionUID = 1L;

  /** What was wrong, for code that must tell cases apart. */
  public enum Problem {
    /** The object does not start with HADBP or HADBJ (or not the one expected). */
    BAD_MAGIC,
    /** A version this reader does not know. */
    UNSUPPORTED_VERSION,
    /** A flag bit this reader does not know: never guessed at, always refused. */
    UNKNOWN_FLAGS,
    /** A header or entry field outside its allowed range, or a reserved field not zero. */
    BAD_FIELD,
    /** Pages not strictly ascending, or a page number outside 1..db size. */
    PAGE_ORDER,
    /** A journal entry whose sequence number is not the next one. */
    ENTRY_SEQ,
    /** A journal entry kind that is neither defined nor in the engine-defined range. */
    UNKNOWN_ENTRY_KIND,
    /** A journal entry whose own hash does not match. */
    ENTRY_HASH_MISMATCH,
    /** A frame whose length or last-frame marker contradicts the header or the format. */
    BAD_FRAME,
    /** Fewer bytes than the header or a length field declares. */
    TRUNCATED,
    /** Bytes after the trailer, or a body longer than declared. */
    TRAILING_BYTES,
    /** The SHA-256 trailer does not match the header and body as stored. */
    CHECKSUM_MISMATCH,
    /** An AES-GCM frame failed authentication under the right key (tampered or corrupt). */
    DECRYPT_FAILED,
    /** A zstd frame could not be decompressed, or decompressed to the wrong size. */
    DECOMPRESS_FAILED,
    /** A declared size is above the reader's configured limit. */
    LIMIT_EXCEEDED,
    /** A journal entry payload that does not follow its kind's layout (e.g. SQL batch). */
    BAD_PAYLOAD
  }

  private final Problem problem;
  private final String objectName;
  private final long offset;

  public ChangesetFormatException(Problem problem, String objectName, long offset, String detail) {
    this(problem, objectName, offset, detail, null);
  }

  public ChangesetFormatException(
      Problem problem, String objectName, long offset, String detail, Throwable cause) {
    super(ErrorCode.CORRUPT, describe(problem, objectName, offset, detail), cause);
    this.problem = problem;
    this.objectName = objectName;
    this.offset = offset;
  }

  private static String describe(Problem problem, String objectName, long offset, String detail) {
    String where = objectName == null ? "changeset" : objectName;
    return where + ": " + problem + (offset >= 0 ? " at byte " + offset : "") + ": " + detail;
  }

  public Problem problem() {
    return problem;
  }

  /** The object's name (usually its storage key) when the caller gave one. */
  public Optional<String> objectName() {
    return Optional.ofNullable(objectName);
  }

  /** Byte offset in the stored object where the problem was found, or -1. */
  public long offset() {
    return offset;
  }
}
