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

/**
 * The {@code file:} lease store: {@link StorageLeaseStore} on the {@code file:} storage backend
 * (module storage-local, which must be on the class path), for a cluster of processes on one
 * machine or on a shared POSIX file system with atomic {@code link(2)}. It needs no server, which
 * makes it the default of the demo.
 *
 * <p>URI: the storage-local URI ({@code file:///var/lib/app/leases?fsync=true}) plus the lease
 * parameters of {@link StorageLeaseOptions#from}: {@code keepVersions} (versions kept per key,
 * default 16; {@code keep} is accepted too), {@code collectEvery} (default 8) and
 * {@code collection} (default background). The storage backend is looked up by scheme at run
 * time, so this module has no compile-time dependency on storage-local.
 */
@AutoService(LeaseStoreProvider.class)
public final class FileLeaseStoreProvider implements LeaseStoreProvider {

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
    StorageLeaseOptions options = StorageLeaseOptions.from(uri);
    Map<String, String> storageParams = new LinkedHashMap<>(uri.params());
    storageParams.keySet().removeAll(StorageLeaseOptions.URI_PARAMS);
    HadbUri storageUri = new HadbUri(uri.scheme(), uri.authority(), uri.path(), storageParams);
    StorageBackend backend;
    try {
      backend = StorageBackends.open(storageUri);
    } catch (HadbException e) {
      throw new HadbException(e.code(), "file: lease store " + uri + ": its storage could not be opened: "
          + e.getMessage() + " (lease parameters: keepVersions, collectEvery, collection)", e);
    }
    return StorageLeaseStore.open(backend, options);
  }
}
