package io.hadb.api;

import java.util.Map;

/** Opens a {@link StorageBackend} from a URI or the environment, through the providers. */
public final class StorageBackends {
  /** The environment variable read by {@link #fromEnvironment()}. */
  public static final String ENV = "HADB_STORAGE_URL";

  private static final ProviderRegistry<StorageBackendProvider> REGISTRY =
      new ProviderRegistry<>(StorageBackendProvider.class, "storage backend", Map.of(
          "mem", "storage-mem",
          "file", "storage-local",
          "s3", "storage-s3"));

  private StorageBackends() {}

  /** Opens the backend for {@code uri}, for example {@code file:///var/lib/app/hadb}. */
  public static StorageBackend open(String uri) {
    return open(HadbUri.parse(uri));
  }

  public static StorageBackend open(HadbUri uri) {
    return REGISTRY.forScheme(uri.scheme()).open(uri);
  }

  /** Opens the backend named by {@value #ENV}; fails naming the variable when it is not set. */
  public static StorageBackend fromEnvironment() {
    return open(Environment.require(System.getenv(), ENV));
  }

  public static StorageBackend fromEnvironment(Map<String, String> env) {
    return open(Environment.require(env, ENV));
  }

  public static ProviderRegistry<StorageBackendProvider> registry() {
    return REGISTRY;
  }
}
