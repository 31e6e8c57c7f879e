package io.hadb.storage.mem;

import com.google.auto.service.AutoService;
import io.hadb.api.HadbUri;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackendProvider;
import io.hadb.storage.mem.internal.ObjectSpace;

/** Serves {@code mem://name}: in-memory objects shared by every client of that name in the JVM. */
@AutoService(StorageBackendProvider.class)
public final class MemStorageProvider implements StorageBackendProvider {

  @Override
  public String scheme() {
    return MemStorageConfig.SCHEME;
  }

  @Override
  public String artifact() {
    return "io.hadb:storage-mem";
  }

  @Override
  public StorageBackend open(HadbUri uri) {
    MemStorageConfig config = MemStorageConfig.from(uri);
    return new MemStorageBackend(config, ObjectSpace.named(config.name()));
  }
}
