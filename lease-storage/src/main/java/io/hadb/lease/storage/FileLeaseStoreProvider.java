package io.hadb.lease.storage;

import com.google.auto.service.AutoService;
import io.hadb.api.HadbException;
import io.hadb.api.HadbUri;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStoreProvider;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code file:} lease store: {@link StorageLeaseStore} on the {@code file:} storage backend
 * (module storage-local, which must be on the class path), for a cluster of processes on one
 * machine or on a shared POSIX file system with atomic {@code link(2)}. It needs no server, which
 * makes it the default of the demo.
 *
 * <p>URI: the storage-local URI ({@code file:///var/lib/app/leases?fsync=true}) plus the lease
 * parameters {@code keep} (versions kept per key, default 16) and {@code collectEvery} (default 8).
 * The storage backend is looked up by scheme at run time, so this module has no compile-time
 * dependency on storage-local.
 */
@AutoService(LeaseStoreProvider.class)
public final class FileLeaseStoreProvider implements LeaseStoreProvider {
  static final Set<String> LEASE_PARAMS = Set.of("keep", "collectEvery");

  @Override
  public String scheme() {
    return "file";
  }

  @Override
  public String artifact() {
    return "io.hadb:lease-storage (with io.hadb:storage-local)";
  }

  @Override
  public LeaseStore open(HadbUri uri) {
    StorageLeaseOptions options = StorageLeaseOptions.defaults()
        .withKeepVersions(uri.intParam("keep", StorageLeaseOptions.DEFAULT_KEEP_VERSIONS, 2, 1000))
        .withCollectEvery(uri.intParam("collectEvery", StorageLeaseOptions.DEFAULT_COLLECT_EVERY, 1, 1000));
    Map<String, String> storageParams = new LinkedHashMap<>(uri.params());
    storageParams.keySet().removeAll(LEASE_PARAMS);
    HadbUri storageUri = new HadbUri(uri.scheme(), uri.authority(), uri.path(), storageParams);
    StorageBackend backend;
    try {
      backend = StorageBackends.open(storageUri);
    } catch (HadbException e) {
      throw new HadbException(e.code(), "file: lease store " + uri + ": its storage could not be opened: "
          + e.getMessage() + " (lease parameters: keep, collectEvery)", e);
    }
    return StorageLeaseStore.open(backend, options);
  }
}
