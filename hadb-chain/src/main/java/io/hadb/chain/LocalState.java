package io.hadb.chain;

import io.hadb.api.HadbException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.CRC32;

/**
 * What the local file holds, as far as the chain goes: the last seq applied (follower) or
 * published (leader), that object's checksum (the next one must name it) and the highest epoch
 * seen (an older epoch is a fenced-out writer). Kept beside the database in {@code <db>-hadb}.
 *
 * <p>The record is one fixed-size block rewritten in place and fsynced ({@code fdatasync}):
 * a rename would need a second fsync, of the directory, and this write sits on every follower
 * apply. The block is far smaller than a disk sector, so a write lands whole; a CRC still guards
 * it, and a record failing its CRC (a torn write after a power loss) reads as "position
 * unknown", so the file is rebuilt from the chain.
 *
 * @param seq last seq the file reflects (0 = empty chain position)
 * @param checksumHex checksum of the object at {@code seq} (64 zero digits at seq 0)
 * @param epoch highest epoch seen in the chain
 * @param dirty true while a leader holds local commits that may not be in the chain: such a file
 *     must be rebuilt from the chain before it follows again
 * @param stamp the engine's stamp of the database file when the record was written (SQLite: the
 *     header's change counter), -1 when unknown: a follower file whose stamp moved was written
 *     outside the library, even while no process had it open
 */
public record LocalState(long seq, String checksumHex, long epoch, boolean dirty, int stamp) {
  /** Record size: smaller than any disk sector, so one write lands whole. */
  private static final int BLOCK = 256;
  public static final String ZERO_HEX = "0".repeat(64);

  public LocalState(long seq, String checksumHex, long epoch, boolean dirty) {
    this(seq, checksumHex, epoch, dirty, -1);
  }

  public static LocalState empty() {
    return new LocalState(0, ZERO_HEX, 0, false);
  }

  public static Path fileOf(Path db) {
    return db.resolveSibling(db.getFileName() + "-hadb");
  }

  public static Optional<LocalState> read(Path db) {
    Path f = fileOf(db);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    String text;
    try {
      text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8).replace("\0", "");
    } catch (IOException e) {
      throw HadbException.unavailable("reading local replication state " + f + " failed: " + e.getMessage(), e);
    }
    int at = text.lastIndexOf("crc=");
    String body = at < 0 ? "" : text.substring(0, at);
    if (at < 0 || !text.substring(at + 4).trim().equals(Long.toHexString(crc(body)))) {
      System.getLogger(LocalState.class.getName()).log(System.Logger.Level.WARNING,
          "local replication state " + f + " fails its CRC (torn write?); the file will be rebuilt from the chain");
      return Optional.of(empty().withDirty(true));
    }
    try {
      Properties p = new Properties();
      p.load(new StringReader(body));
      return Optional.of(new LocalState(Long.parseLong(p.getProperty("seq")),
          p.getProperty("checksum"), Long.parseLong(p.getProperty("epoch")),
          Boolean.parseBoolean(p.getProperty("dirty", "false")),
          Integer.parseInt(p.getProperty("counter", "-1"))));
    } catch (IOException | RuntimeException e) {
      throw HadbException.corrupt("local replication state " + f + " is unreadable: " + e.getMessage());
    }
  }

  private static long crc(String body) {
    CRC32 c = new CRC32();
    c.update(body.getBytes(StandardCharsets.UTF_8));
    return c.getValue();
  }

  public LocalState withDirty(boolean d) {
    return new LocalState(seq, checksumHex, epoch, d, stamp);
  }

  public LocalState withStamp(int s) {
    return new LocalState(seq, checksumHex, epoch, dirty, s);
  }

  /** Rewrites the record durably (fdatasync; see the class comment). */
  public void write(Path db) {
    write(db, true);
  }

  /** Rewrites the record without waiting for the disk (see the caller's reason). */
  public void writeUnsynced(Path db) {
    write(db, false);
  }

  private void write(Path db, boolean durable) {
    Path f = fileOf(db);
    String body = "seq=" + seq + "\nchecksum=" + checksumHex + "\nepoch=" + epoch + "\ndirty=" + dirty
        + "\ncounter=" + stamp + "\n";
    byte[] block = new byte[BLOCK];
    byte[] text = (body + "crc=" + Long.toHexString(crc(body)) + "\n").getBytes(StandardCharsets.UTF_8);
    System.arraycopy(text, 0, block, 0, text.length);
    try {
      boolean created = !Files.exists(f);
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(block), 0);
        if (ch.size() > BLOCK) {
          ch.truncate(BLOCK);
        }
        if (durable) {
          ch.force(false);
        }
      }
      if (created && durable) {
        fsyncDir(f.toAbsolutePath().getParent());
      }
    } catch (IOException e) {
      throw HadbException.unavailable("writing local replication state " + f + " failed: " + e.getMessage(), e);
    }
  }

  public static void delete(Path db) {
    try {
      Files.deleteIfExists(fileOf(db));
    } catch (IOException e) {
      throw HadbException.unavailable("deleting " + fileOf(db) + " failed: " + e.getMessage(), e);
    }
  }

  static void fsyncDir(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory; the rename is still atomic there.
    }
  }
}
