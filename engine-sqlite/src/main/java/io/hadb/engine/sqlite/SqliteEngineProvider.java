package io.hadb.engine.sqlite;

import com.google.auto.service.AutoService;
import io.hadb.api.StorageBackend;
import io.hadb.api.engine.EngineProvider;
import java.nio.file.Path;

/** The {@code sqlite} engine, found through {@link java.util.ServiceLoader}. */
@AutoService(EngineProvider.class)
public final class SqliteEngineProvider implements EngineProvider {
  public static final String NAME = "sqlite";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public SqliteEngine open(Path file, StorageBackend storage, String prefix) {
    return SqliteEngine.open(file, storage, prefix, SqliteOptions.defaults());
  }

  /** Opens with explicit options (durability, read pool, encoding). */
  public SqliteEngine open(Path file, StorageBackend storage, String prefix, SqliteOptions options) {
    return SqliteEngine.open(file, storage, prefix, options);
  }
}
