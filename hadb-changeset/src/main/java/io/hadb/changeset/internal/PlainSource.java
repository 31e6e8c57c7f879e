package io.hadb.changeset.internal;

/** Where a body reader takes plaintext from: the hashed input itself, or decoded frames. */
public interface PlainSource {
  /** Reads exactly {@code len} bytes or throws TRUNCATED naming {@code what}. */
  void readFully(byte[] dst, int off, int len, String what);

  int readInt(String what);

  long readLong(String what);

  /**
   * Reads a length-declared field of {@code len} bytes without trusting {@code len}: when the
   * bytes present cannot be known in advance, the array grows as bytes actually arrive, so a
   * forged length costs at most what the input holds.
   */
  byte[] readDeclared(int len, String what);

  /** Byte offset in the stored object, for messages. */
  long position();

  /**
   * Consumes the next {@code len} bytes and says where they are: in the source's own buffer when
   * they lie there whole (no copy), else copied into {@code fallback} at 0. The bytes stay valid
   * until the next call on this source. A page is handed out this way: decode+verify then copies
   * each page once (stream to buffer), not twice.
   */
  Slice slice(int len, byte[] fallback, String what);

  /** Where {@link #slice} put the bytes: {@code array[offset .. offset + len)}. */
  record Slice(byte[] array, int offset) {}
}
