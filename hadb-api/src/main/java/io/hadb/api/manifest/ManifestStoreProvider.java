package io.hadb.api.manifest;

import io.hadb.api.LeaseStore;
import io.hadb.api.Provider;

/**
 * Builds {@link ManifestStore}s on an open {@link LeaseStore} (DESIGN §3.4: a manifest is a
 * register plus an epoch fence, so every lease store can hold manifests). Registered with
 * {@code @AutoService}; {@code turbodb-manifest} holds the generic one, whose
 * {@link #scheme()} is {@value #ON_LEASES}.
 */
public interface ManifestStoreProvider extends Provider {
  /** The scheme of providers that work on any lease store. */
  String ON_LEASES = "lease";

  /**
   * A manifest store whose registers live in {@code leases}. When {@code ownsLeases} the
   * manifest store closes {@code leases} on {@link ManifestStore#close()}; otherwise the caller
   * keeps it (a node shares its lease client between leases and manifests).
   */
  ManifestStore on(LeaseStore leases, boolean ownsLeases);
}
