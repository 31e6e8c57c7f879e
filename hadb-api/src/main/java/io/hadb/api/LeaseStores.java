package io.hadb.api;

import java.util.Map;

/** Opens a {@link LeaseStore} from a URI or the environment, through the registered providers. */
public final class LeaseStores {
  /** The environment variable read by {@link #fromEnvironment()}. */
  public static final String ENV = "HADB_LEASE_URL";

  private static final ProviderRegistry<LeaseStoreProvider> REGISTRY =
      new ProviderRegistry<>(LeaseStoreProvider.class, "lease store", Map.of(
          "mem", "lease-mem",
          "nats", "lease-nats",
          "etcd", "lease-etcd",
          "s3", "lease-s3",
          // The file: lease provider lives in lease-storage; it opens its directory through
          // storage-local, so a user needs both.
          "file", "lease-storage (with io.hadb:storage-local)"));

  private LeaseStores() {}

  /** Opens the store for {@code uri}, for example {@code nats://127.0.0.1:4222?bucket=leases}. */
  public static LeaseStore open(String uri) {
    return open(HadbUri.parse(uri));
  }

  public static LeaseStore open(HadbUri uri) {
    return REGISTRY.forScheme(uri.scheme()).open(uri);
  }

  /** Opens the store named by {@value #ENV}; fails naming the variable when it is not set. */
  public static LeaseStore fromEnvironment() {
    return open(Environment.require(System.getenv(), ENV));
  }

  /** As {@link #fromEnvironment()}, reading from {@code env} (for tests and embedding). */
  public static LeaseStore fromEnvironment(Map<String, String> env) {
    return open(Environment.require(env, ENV));
  }

  public static ProviderRegistry<LeaseStoreProvider> registry() {
    return REGISTRY;
  }
}
