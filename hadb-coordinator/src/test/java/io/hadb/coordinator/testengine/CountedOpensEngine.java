package io.hadb.coordinator.testengine;

import io.hadb.api.StorageBackend;
import io.hadb.api.engine.EngineOptions;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** sqlite under a name of its own that counts its opens: shows which engine a caller really opened. */
public final class CountedOpensEngine extends WrappingEngineProvider {
  public static final String NAME = "sqlite-counted-opens";
  public static final AtomicInteger OPENS = new AtomicInteger();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Engine open(Path file, StorageBackend storage, String prefix, EngineOptions options) {
    OPENS.incrementAndGet();
    return super.open(file, storage, prefix, options);
  }
}
