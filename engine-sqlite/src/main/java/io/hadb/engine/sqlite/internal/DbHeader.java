package io.hadb.engine.sqlite.internal;

/** The fields of the 100-byte SQLite database header that replication touches. */
public final class DbHeader {
  /** File format write/read versions: 1 = legacy (rollback journal), 2 = WAL. */
  static final int WRITE_VERSION = 18;
  static final int READ_VERSION = 19;
  /** File change counter: a rollback-mode reader drops its page cache when it changes. */
  static final int CHANGE_COUNTER = 24;
  /** In-header database size in pages, trusted only when VERSION_VALID_FOR equals the counter. */
  static final int SIZE_IN_PAGES = 28;
  static final int VERSION_VALID_FOR = 92;

  private DbHeader() {}

  /** Page size from a header (offset 16, big-endian; 1 means 65536); 0 when not a database. */
  public static int pageSize(byte[] page1) {
    if (page1.length < 100 || !new String(page1, 0, 15, java.nio.charset.StandardCharsets.US_ASCII)
        .equals("SQLite format 3")) {
      return 0;
    }
    int v = ((page1[16] & 0xff) << 8) | (page1[17] & 0xff);
    return v == 1 ? 65536 : v;
  }

  public static int changeCounter(byte[] page1) {
    return WalChecksum.be32(page1, CHANGE_COUNTER);
  }

  /** The in-header database size in pages, or 0 when SQLite would not trust it (see {@link #SIZE_IN_PAGES}). */
  public static long sizeInPages(byte[] page1) {
    if (WalChecksum.be32(page1, VERSION_VALID_FOR) != changeCounter(page1)) {
      return 0;
    }
    return WalChecksum.be32(page1, SIZE_IN_PAGES) & 0xffffffffL;
  }

  /**
   * The file's change counter, the stamp a follower records after each apply (every write
   * transaction moves it), or -1 while the file has no header.
   */
  public static int stampOf(DbFile file) {
    if (file.size() < 100) {
      return -1;
    }
    byte[] head = new byte[100];
    file.read(0, head, 100);
    return changeCounter(head);
  }

  /**
   * Makes a leader's page 1 right for a rollback-journal follower: legacy format (a WAL-mode
   * header would turn the follower's readers to WAL mode), a change counter readers have not
   * seen (so their caches drop), and an in-header size they may trust.
   */
  public static void patchForFollower(byte[] page1, int newCounter, long sizeInPages) {
    page1[WRITE_VERSION] = 1;
    page1[READ_VERSION] = 1;
    WalChecksum.putBe32(page1, CHANGE_COUNTER, newCounter);
    WalChecksum.putBe32(page1, VERSION_VALID_FOR, newCounter);
    WalChecksum.putBe32(page1, SIZE_IN_PAGES, (int) sizeInPages);
  }
}
