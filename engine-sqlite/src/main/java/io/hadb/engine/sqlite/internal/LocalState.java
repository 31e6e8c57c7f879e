package io.hadb.engine.sqlite.internal;

import io.hadb.api.HadbException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;

/**
 * What the local file holds, as far as the chain goes: the last seq applied (follower) or
 * published (leader), that object's checksum (the next one must name it) and the highest epoch
 * seen (an older epoch is a fenced-out writer). Kept beside the database in {@code <db>-hadb},
 * replaced atomically and fsynced, so after a crash it is either the old or the new state.
 *
 * @param seq last seq the file reflects (0 = empty chain position)
 * @param checksumHex checksum of the object at {@code seq} (64 zero digits at seq 0)
 * @param epoch highest epoch seen in the chain
 * @param dirty true while a leader holds local commits that may not be in the chain: such a file
 *     must be rebuilt from the chain before it follows again
 */
public record LocalState(long seq, String checksumHex, long epoch, boolean dirty) {
  public static final String ZERO_HEX = "0".repeat(64);

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
    try {
      Properties p = new Properties();
      p.load(new StringReader(Files.readString(f, StandardCharsets.UTF_8)));
      return Optional.of(new LocalState(Long.parseLong(p.getProperty("seq")),
          p.getProperty("checksum"), Long.parseLong(p.getProperty("epoch")),
          Boolean.parseBoolean(p.getProperty("dirty", "false"))));
    } catch (IOException | RuntimeException e) {
      throw HadbException.corrupt("local replication state " + f + " is unreadable: " + e.getMessage());
    }
  }

  public LocalState withDirty(boolean d) {
    return new LocalState(seq, checksumHex, epoch, d);
  }

  /** Replaces the record atomically and durably (file and directory fsynced). */
  public void write(Path db) {
    write(db, true);
  }

  /** Replaces the record atomically, without waiting for the disk (see the caller's reason). */
  public void writeUnsynced(Path db) {
    write(db, false);
  }

  private void write(Path db, boolean durable) {
    Path f = fileOf(db);
    Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
    String text = "seq=" + seq + "\nchecksum=" + checksumHex + "\nepoch=" + epoch + "\ndirty=" + dirty + "\n";
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        if (durable) {
          ch.force(true);
        }
      }
      try {
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
      }
      if (durable) {
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
