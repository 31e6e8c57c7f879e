package io.hadb.lease.storage;

import com.google.auto.service.AutoService;
import io.hadb.api.HadbUri;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStoreProvider;
import io.hadb.api.StorageBackends;

/**
 * Test-only scheme {@code leaseonmem://ns?keepVersions=..&collectEvery=..&collection=..}: the generic
 * {@link StorageLeaseStore} on the real in-process {@code mem://ns} storage backend, so the lease
 * conformance kit can run against the generic protocol itself.
 */
@AutoService(LeaseStoreProvider.class)
public final class LeaseOnMemProvider implements LeaseStoreProvider {
  static final String SCHEME = "leaseonmem";

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public LeaseStore open(HadbUri uri) {
    uri.rejectUnknownParams(StorageLeaseOptions.URI_PARAMS);
    return StorageLeaseStore.open(StorageBackends.open("mem://" + uri.authority()), StorageLeaseOptions.from(uri));
  }
}
