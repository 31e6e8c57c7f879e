package io.hadb.engine.sqlite.internal;

import java.util.Optional;

/**
 * The 32-byte header of a SQLite WAL file. All fields are big-endian; the magic's low bit picks
 * the byte order of the checksums.
 *
 * @param bigEndianChecksum true for magic {@code 0x377f0683}
 * @param pageSize database page size in bytes
 * @param checkpointSeq incremented by SQLite at each WAL restart
 * @param salt1 copied into every frame of this generation; changes at a restart
 * @param salt2 likewise (random at each restart)
 * @param checksum0 first checksum word over the first 24 header bytes
 * @param checksum1 second checksum word
 */
public record WalHeader(boolean bigEndianChecksum, int pageSize, int checkpointSeq, int salt1,
    int salt2, int checksum0, int checksum1) {
  public static final int SIZE = 32;
  public static final int FRAME_HEADER_SIZE = 24;
  static final int MAGIC_LE = 0x377f0682;
  static final int MAGIC_BE = 0x377f0683;
  static final int VERSION = 3007000;

  /** Parses and validates a header; empty when the bytes are not a valid WAL header. */
  public static Optional<WalHeader> parse(byte[] b) {
    if (b.length < SIZE) {
      return Optional.empty();
    }
    int magic = WalChecksum.be32(b, 0);
    if (magic != MAGIC_LE && magic != MAGIC_BE) {
      return Optional.empty();
    }
    boolean be = magic == MAGIC_BE;
    if (WalChecksum.be32(b, 4) != VERSION) {
      return Optional.empty();
    }
    int pageSize = WalChecksum.be32(b, 8);
    if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
      return Optional.empty();
    }
    int[] sum = new int[2];
    WalChecksum.update(be, b, 0, 24, sum);
    int c0 = WalChecksum.be32(b, 24);
    int c1 = WalChecksum.be32(b, 28);
    if (sum[0] != c0 || sum[1] != c1) {
      return Optional.empty();
    }
    return Optional.of(new WalHeader(be, pageSize, WalChecksum.be32(b, 12), WalChecksum.be32(b, 16),
        WalChecksum.be32(b, 20), c0, c1));
  }

  /** Whether {@code other} is the same WAL generation (same salts, same page size). */
  public boolean sameGeneration(WalHeader other) {
    return other.salt1 == salt1 && other.salt2 == salt2 && other.pageSize == pageSize
        && other.bigEndianChecksum == bigEndianChecksum;
  }

  public int frameSize() {
    return FRAME_HEADER_SIZE + pageSize;
  }
}
