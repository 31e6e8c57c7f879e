package io.hadb.engine.sqlite;

import io.hadb.api.StorageBackend;
import io.hadb.api.engine.Progress;
import io.hadb.api.engine.RestorePoint;
import io.hadb.api.engine.VerifyReport;
import io.hadb.chain.ChainRestore;
import io.hadb.changeset.DecodeOptions;
import java.nio.file.Path;

/**
 * Restore and verify of a SQLite chain without an open engine: {@link ChainRestore} with SQLite's
 * files, whose restored database must pass {@code PRAGMA integrity_check}.
 */
public final class SqliteRestore {
  private SqliteRestore() {}

  /**
   * Restores {@code point} of the chain under {@code prefix} into the new file {@code target}
   * (which must not exist). Returns the seq restored.
   */
  public static long restore(StorageBackend storage, String prefix, Path target, RestorePoint point,
      SqliteOptions options) {
    return ChainRestore.restore(storage, prefix, target, point, SqliteFormat.INSTANCE, options.chain(), Progress.NONE);
  }

  /** Reads every snapshot and changeset under {@code prefix} and names the first bad object. */
  public static VerifyReport verify(StorageBackend storage, String prefix, DecodeOptions decode) {
    return ChainRestore.verify(storage, prefix, decode);
  }
}
