package io.hadb.manifest;

import com.google.auto.service.AutoService;
import io.hadb.api.LeaseStore;
import io.hadb.api.manifest.ManifestStore;
import io.hadb.api.manifest.ManifestStoreProvider;

/** The generic manifest store: works on every {@link LeaseStore} plug-in. */
@AutoService(ManifestStoreProvider.class)
public final class LeaseManifestStoreProvider implements ManifestStoreProvider {

  @Override
  public String scheme() {
    return ON_LEASES;
  }

  @Override
  public String artifact() {
    return "io.hadb:turbodb-manifest";
  }

  @Override
  public ManifestStore on(LeaseStore leases, boolean ownsLeases) {
    return new LeaseManifestStore(leases, ownsLeases);
  }
}
