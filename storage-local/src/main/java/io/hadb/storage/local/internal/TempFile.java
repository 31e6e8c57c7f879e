package io.hadb.storage.local.internal;

import io.hadb.api.BodySource;
import io.hadb.api.HadbException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A body being written under a temp name in the directory of its object, so that publishing it
 * is one rename(2) or link(2) inside one directory (atomic, and never a cross-device copy).
 */
public final class TempFile {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int BUFFER = 128 * 1024;

  private final Path path;
  private boolean discarded;

  private TempFile(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  /**
   * A fresh temp name in {@code dir}: {@code ~} (never in a key) then random hex, so temps of
   * racing writers in any process never collide with each other or with an object.
   */
  public static Path newName(Path dir, String purpose) {
    byte[] r = new byte[8];
    RANDOM.nextBytes(r);
    return dir.resolve(ObjectLayout.TEMP_PREFIX + HexFormat.of().formatHex(r) + "." + purpose + ".tmp");
  }

  /**
   * Streams {@code body} into a new temp file in {@code dir} and, when {@code fsync}, forces it
   * to disk: its bytes must be durable before any name points at them.
   */
  public static TempFile write(Path dir, String key, BodySource body, boolean fsync) throws IOException {
    FileChannel ch = null;
    Path p = null;
    while (ch == null) {
      p = newName(dir, "put");
      try {
        ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        // 64 random bits collided; draw again
      }
    }
    TempFile temp = new TempFile(p);
    boolean ok = false;
    try (FileChannel out = ch) {
      long expected = body.length();
      long written = copy(body, out);
      if (written != expected) {
        throw HadbException.invalidArgument(
            "body for " + key + " yielded " + written + " bytes but its length() is " + expected
                + " (the source changed while being written?): " + body);
      }
      if (fsync) {
        out.force(true);
      }
      ok = true;
      return temp;
    } finally {
      if (!ok) {
        temp.discard();
      }
    }
  }

  private static long copy(BodySource body, FileChannel out) throws IOException {
    // Sized to the body when smaller: a replicating leader puts many small objects, and a full
    // 128 KiB buffer allocated and zeroed per put cost more than writing the body.
    byte[] buf = new byte[(int) Math.max(4096, Math.min(BUFFER, body.length() + 1))];
    ByteBuffer bb = ByteBuffer.wrap(buf);
    long total = 0;
    try (InputStream in = body.open()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        bb.clear().limit(n);
        while (bb.hasRemaining()) {
          out.write(bb);
        }
        total += n;
      }
    }
    return total;
  }

  /** Removes the temp name if it is still there; safe to call more than once. */
  public void discard() {
    if (discarded) {
      return;
    }
    discarded = true;
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // Harmless: a leftover temp is never listed, and listings remove it once stale.
      System.getLogger(TempFile.class.getName())
          .log(System.Logger.Level.DEBUG, "could not remove temp file " + path + ": " + e);
    }
  }
}
