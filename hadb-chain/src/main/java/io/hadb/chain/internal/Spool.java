package io.hadb.chain.internal;

import io.hadb.api.BodySource;
import io.hadb.api.HadbException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Helpers for local spool and staging files. */
public final class Spool {
  private Spool() {}

  /** Whether the stored object's bytes equal {@code body}'s, compared as streams. */
  public static boolean sameBytes(Optional<InputStream> stored, BodySource body) {
    if (stored.isEmpty()) {
      return false;
    }
    try (InputStream a = new BufferedInputStream(stored.get(), 1 << 16);
        InputStream b = new BufferedInputStream(body.open(), 1 << 16)) {
      byte[] x = new byte[1 << 16];
      byte[] y = new byte[1 << 16];
      while (true) {
        int n = a.readNBytes(x, 0, x.length);
        int m = b.readNBytes(y, 0, y.length);
        if (n != m || !java.util.Arrays.equals(x, 0, n, y, 0, m)) {
          return false;
        }
        if (n == 0) {
          return true;
        }
      }
    } catch (IOException e) {
      throw HadbException.unavailable("comparing a stored object failed: " + e.getMessage(), e);
    }
  }

  public static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // nothing read from it
    }
  }

  public static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      System.getLogger(Spool.class.getName()).log(System.Logger.Level.WARNING,
          "could not delete " + p + ": " + e.getMessage());
    }
  }
}
