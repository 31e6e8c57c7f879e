package io.hadb.lease.s3;

import com.google.auto.service.AutoService;
import io.hadb.api.HadbUri;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStoreProvider;
import io.hadb.lease.storage.StorageLeaseStore;
import io.hadb.storage.s3.S3StorageBackend;

/**
 * Serves {@code s3://bucket/prefix?endpoint=...} lease URIs: each register is a chain of
 * immutable objects written with {@code If-None-Match: *} (DESIGN §3.4), so the store is
 * linearizable wherever that header is enforced atomically. No {@code If-Match} is ever sent.
 */
@AutoService(LeaseStoreProvider.class)
public final class S3LeaseStoreProvider implements LeaseStoreProvider {

  @Override
  public String scheme() {
    return "s3";
  }

  @Override
  public String artifact() {
    return "io.hadb:lease-s3";
  }

  @Override
  public LeaseStore open(HadbUri uri) {
    S3LeaseConfig config = S3LeaseConfig.from(uri);
    return StorageLeaseStore.open(S3StorageBackend.open(config.storage()), config.options());
  }
}
