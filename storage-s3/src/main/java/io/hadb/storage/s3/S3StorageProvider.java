package io.hadb.storage.s3;

import com.google.auto.service.AutoService;
import io.hadb.api.HadbUri;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackendProvider;

/** The {@code s3:} storage scheme: {@code s3://bucket/prefix?endpoint=...&region=...}. */
@AutoService(StorageBackendProvider.class)
public final class S3StorageProvider implements StorageBackendProvider {

  @Override
  public String scheme() {
    return "s3";
  }

  @Override
  public String artifact() {
    return "io.hadb:storage-s3";
  }

  @Override
  public StorageBackend open(HadbUri uri) {
    return S3StorageBackend.open(S3Config.from(uri));
  }
}
