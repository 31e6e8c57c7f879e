package io.hadb.api.engine;

import io.hadb.api.ProviderRegistry;
import java.util.Map;

/** Finds an {@link EngineProvider} by name among those on the class path. */
public final class Engines {
  private static final ProviderRegistry<EngineProvider> REGISTRY = ProviderRegistry.byName(
      EngineProvider.class, "engine", Map.of("sqlite", "engine-sqlite", "duckdb", "engine-duckdb"));

  private Engines() {}

  /**
   * The engine named {@code name}; an unknown name fails with {@code INVALID_ARGUMENT} naming the
   * engines found and the artifact that would add it.
   */
  public static EngineProvider find(String name) {
    io.hadb.api.HadbException.requireArg(name, "engine");
    return REGISTRY.forScheme(name);
  }

  public static ProviderRegistry<EngineProvider> registry() {
    return REGISTRY;
  }
}
