package io.hadb.changeset;

/** The format's fixed bounds (FORMAT.md §2). */
public final class Limits {
  public static final int HEADER_LENGTH = 104;
  public static final int TRAILER_LENGTH = Checksum.LENGTH;
  public static final int MIN_PAGE_SIZE = 512;
  public static final int MAX_PAGE_SIZE = 65536;
  public static final int MIN_CHUNK_SIZE = 4096;
  public static final int MAX_CHUNK_SIZE = 1 << 24;
  /** The largest journal entry payload: an entry is the unit a reader holds in memory. */
  public static final int MAX_ENTRY_SIZE = 1 << 26;
  /** Frames are counted with a 32-bit index inside the GCM nonce and associated data. */
  public static final long MAX_FRAMES = 0xFFFF_FFFFL;
  public static final long MAX_U32 = 0xFFFF_FFFFL;

  private Limits() {}

  public static boolean isValidPageSize(int n) {
    return n >= MIN_PAGE_SIZE && n <= MAX_PAGE_SIZE && Integer.bitCount(n) == 1;
  }

  public static boolean isValidChunkSize(int n) {
    return n >= MIN_CHUNK_SIZE && n <= MAX_CHUNK_SIZE && Integer.bitCount(n) == 1;
  }
}
