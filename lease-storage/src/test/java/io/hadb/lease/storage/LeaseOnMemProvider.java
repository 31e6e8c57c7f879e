package io.hadb.lease.storage;

import com.google.auto.service.AutoService;
import io.hadb.api.HadbUri;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStoreProvider;
import io.hadb.api.StorageBackends;
import java.util.Locale;
import java.util.Set;

/**
 * Test-only scheme {@code leaseonmem://ns?keep=..&collectEvery=..&collection=..}: the generic
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
    uri.rejectUnknownParams(Set.of("keep", "collectEvery", "collection"));
    StorageLeaseOptions o = StorageLeaseOptions.defaults()
        .withKeepVersions(uri.intParam("keep", StorageLeaseOptions.DEFAULT_KEEP_VERSIONS, 2, 1000))
        .withCollectEvery(uri.intParam("collectEvery", StorageLeaseOptions.DEFAULT_COLLECT_EVERY, 1, 1000))
        .withCollection(StorageLeaseOptions.Collection.valueOf(
            uri.param("collection", "background").toUpperCase(Locale.ROOT)));
    return StorageLeaseStore.open(StorageBackends.open("mem://" + uri.authority()), o);
  }
}
