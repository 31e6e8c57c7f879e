package io.hadb.engine.sqlite;

import io.hadb.api.engine.RestorePoint;
import io.hadb.api.engine.VerifyReport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.StorageBackend;
import io.hadb.api.engine.SqlValue;
import io.hadb.changeset.DecodeOptions;
import java.nio.file.Path;
import java.util.List;

/** Checks shared by the snapshot, SNAPSHOT_ONLY and S3 tests: restore a point, look inside. */
final class ChainCheck {
  private ChainCheck() {}

  /** Rows of {@code t} in a database: count, sum of ids, sum of value lengths. */
  static List<List<SqlValue>> digest(SqliteEngine e) {
    return e.executor().query("SELECT count(*), total(id), total(length(v)) FROM t", List.of()).rows();
  }

  static long count(SqliteEngine e) {
    return ((SqlValue.Int) e.executor().query("SELECT count(*) FROM t", List.of()).rows().get(0).get(0)).value();
  }

  static void integrityOk(SqliteEngine e) {
    assertEquals(List.of(List.of(SqlValue.of("ok"))), e.executor().query("PRAGMA integrity_check", List.of()).rows(),
        "integrity_check of " + e.file());
  }

  /**
   * Restores {@code point} into the new file {@code target}, opens it as a follower, checks its
   * integrity and returns its digest.
   */
  static List<List<SqlValue>> restored(StorageBackend storage, String prefix, Path target, RestorePoint point) {
    SqliteRestore.restore(storage, prefix, target, point, SqliteOptions.defaults());
    try (SqliteEngine e = SqliteEngine.open(target, storage, prefix, SqliteOptions.defaults())) {
      integrityOk(e);
      return digest(e);
    }
  }

  /** The whole chain checks out (every snapshot and changeset read and verified). */
  static VerifyReport verified(StorageBackend storage, String prefix) {
    VerifyReport r = SqliteRestore.verify(storage, prefix, DecodeOptions.defaults());
    assertTrue(r.ok(), r.toString());
    return r;
  }

  /** Polls {@code condition} every 20 ms until it holds or {@code seconds} pass; returns it. */
  static boolean await(double seconds, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}
