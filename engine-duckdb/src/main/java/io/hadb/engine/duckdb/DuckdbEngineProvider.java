package io.hadb.engine.duckdb;

import com.google.auto.service.AutoService;
import io.hadb.api.StorageBackend;
import io.hadb.api.engine.EngineOptions;
import io.hadb.api.engine.EngineProvider;
import io.hadb.api.engine.Progress;
import io.hadb.api.engine.RestorePoint;
import io.hadb.api.engine.VerifyReport;
import io.hadb.chain.ChainRestore;
import java.nio.file.Path;

/** The {@code duckdb} engine, found through {@link io.hadb.api.engine.Engines}. */
@AutoService(EngineProvider.class)
public final class DuckdbEngineProvider implements EngineProvider {
  public static final String NAME = "duckdb";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String artifact() {
    return "engine-duckdb";
  }

  @Override
  public DuckdbEngine open(Path file, StorageBackend storage, String prefix, EngineOptions options) {
    return DuckdbEngine.open(file, storage, prefix, DuckdbOptions.from(options));
  }

  @Override
  public long restore(StorageBackend storage, String prefix, Path target, RestorePoint point,
      EngineOptions options, Progress progress) {
    return ChainRestore.restore(storage, prefix, target, point, DuckdbFormat.INSTANCE,
        DuckdbOptions.from(options).chain(), progress);
  }

  @Override
  public VerifyReport verify(StorageBackend storage, String prefix, EngineOptions options) {
    return ChainRestore.verify(storage, prefix, DuckdbOptions.from(options).chain());
  }
}
