package io.hadb.api.manifest;

import io.hadb.api.HadbException;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.api.ProviderRegistry;
import java.util.Map;

/**
 * Opens {@link ManifestStore}s: every lease URI is a manifest URI (DESIGN §10), so
 * {@code ManifestStores.open("nats://…?bucket=leases")} keeps manifests beside the leases.
 */
public final class ManifestStores {
  private static final ProviderRegistry<ManifestStoreProvider> REGISTRY =
      new ProviderRegistry<>(ManifestStoreProvider.class, "manifest store",
          Map.of(ManifestStoreProvider.ON_LEASES, "turbodb-manifest"));

  private ManifestStores() {}

  /** Manifests in the lease store of {@code leaseUri}, which the returned store owns and closes. */
  public static ManifestStore open(String leaseUri) {
    LeaseStore leases = LeaseStores.open(leaseUri);
    try {
      return provider().on(leases, true);
    } catch (RuntimeException e) {
      leases.close();
      throw e;
    }
  }

  /** Manifests in an open lease store, which stays the caller's to close. */
  public static ManifestStore on(LeaseStore leases) {
    return provider().on(HadbException.requireArg(leases, "leases"), false);
  }

  private static ManifestStoreProvider provider() {
    return REGISTRY.forScheme(ManifestStoreProvider.ON_LEASES);
  }

  public static ProviderRegistry<ManifestStoreProvider> registry() {
    return REGISTRY;
  }
}
