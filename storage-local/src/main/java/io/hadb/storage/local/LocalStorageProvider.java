package io.hadb.storage.local;

import com.google.auto.service.AutoService;
import io.hadb.api.HadbUri;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackendProvider;

/** Serves {@code file:} URIs: a {@link LocalStorageBackend} on a local directory. */
@AutoService(StorageBackendProvider.class)
public final class LocalStorageProvider implements StorageBackendProvider {

  @Override
  public String scheme() {
    return LocalStorageConfig.SCHEME;
  }

  @Override
  public String artifact() {
    return "io.hadb:storage-local";
  }

  @Override
  public StorageBackend open(HadbUri uri) {
    return LocalStorageBackend.open(LocalStorageConfig.from(uri));
  }
}
