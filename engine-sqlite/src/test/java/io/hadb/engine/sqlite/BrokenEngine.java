package io.hadb.engine.sqlite;

import io.hadb.api.StorageBackend;
import io.hadb.api.engine.Dialect;
import io.hadb.api.engine.EngineOptions;
import io.hadb.api.engine.EngineProvider;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.Progress;
import io.hadb.api.engine.Replicator;
import io.hadb.api.engine.RestorePoint;
import io.hadb.api.engine.VerifyReport;
import io.hadb.chain.EngineFile;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * engine-sqlite with one part broken on purpose, as the engine contract sees it: a part of the
 * chain seam replaced ({@code parts}, through {@link SqliteEngine#open}'s hook), or a face of the
 * open engine wrapped ({@link #replicator}, {@link #dialect}, {@link #options}).
 */
class BrokenEngine implements EngineProvider {
  private static final SqliteEngineProvider REAL = new SqliteEngineProvider();

  UnaryOperator<EngineFile> parts() {
    return UnaryOperator.identity();
  }

  Replicator replicator(Replicator real) {
    return real;
  }

  Dialect dialect(Dialect real) {
    return real;
  }

  /** The executor the contract drives; {@code real} is engine-sqlite's own. */
  Executor executor(SqliteExecutor real) {
    return real;
  }

  EngineOptions options(EngineOptions asked) {
    return asked;
  }

  @Override
  public String name() {
    return SqliteEngineProvider.NAME;
  }

  @Override
  public String artifact() {
    return "engine-sqlite (tests)";
  }

  @Override
  public Engine open(Path file, StorageBackend storage, String prefix, EngineOptions o) {
    SqliteEngine real = SqliteEngine.open(file, storage, prefix, SqliteOptions.from(options(o)), parts());
    Replicator replicator = replicator(real.replicator());
    Dialect dialect = dialect(real.dialect());
    Executor executor = executor((SqliteExecutor) real.executor());
    return new Engine() {
      @Override
      public Executor executor() {
        return executor;
      }

      @Override
      public Replicator replicator() {
        return replicator;
      }

      @Override
      public Dialect dialect() {
        return dialect;
      }

      @Override
      public void close() {
        real.close();
      }
    };
  }

  @Override
  public long restore(StorageBackend storage, String prefix, Path target, RestorePoint point, EngineOptions o,
      Progress progress) {
    return REAL.restore(storage, prefix, target, point, o, progress);
  }

  @Override
  public VerifyReport verify(StorageBackend storage, String prefix, EngineOptions o) {
    return REAL.verify(storage, prefix, o);
  }
}
