package io.hadb.coordinator.testengine;

import io.hadb.api.StorageBackend;
import io.hadb.api.engine.Dialect;
import io.hadb.api.engine.EngineOptions;
import io.hadb.api.engine.EngineProvider;
import io.hadb.api.engine.Engines;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.Progress;
import io.hadb.api.engine.Replicator;
import io.hadb.api.engine.RestorePoint;
import io.hadb.api.engine.VerifyReport;
import java.nio.file.Path;

/**
 * The real {@code sqlite} engine with its executor or replicator wrapped, registered under a name
 * of its own (test resources' {@code META-INF/services}), so a test, or a node process of a fault
 * test, opens it through the builder's {@code engine(name)} like any engine.
 */
public abstract class WrappingEngineProvider implements EngineProvider {

  protected Executor wrap(Executor inner) {
    return inner;
  }

  protected Replicator wrap(Replicator inner) {
    return inner;
  }

  private static EngineProvider sqlite() {
    return Engines.find("sqlite");
  }

  @Override
  public Engine open(Path file, StorageBackend storage, String prefix, EngineOptions options) {
    Engine inner = sqlite().open(file, storage, prefix, options);
    Executor executor = wrap(inner.executor());
    Replicator replicator = wrap(inner.replicator());
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
        return inner.dialect();
      }

      @Override
      public void close() {
        inner.close();
      }
    };
  }

  @Override
  public long restore(StorageBackend storage, String prefix, Path target, RestorePoint point, EngineOptions options,
      Progress progress) {
    return sqlite().restore(storage, prefix, target, point, options, progress);
  }

  @Override
  public VerifyReport verify(StorageBackend storage, String prefix, EngineOptions options) {
    return sqlite().verify(storage, prefix, options);
  }
}
