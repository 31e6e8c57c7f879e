package io.hadb.lease.etcd;

import com.google.auto.service.AutoService;
import io.hadb.api.HadbUri;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStoreProvider;

/** Serves {@code etcd://host:2379?prefix=hadb/} URIs: leases as etcd keys under a prefix. */
@AutoService(LeaseStoreProvider.class)
public final class EtcdLeaseStoreProvider implements LeaseStoreProvider {

  @Override
  public String scheme() {
    return "etcd";
  }

  @Override
  public String artifact() {
    return "io.hadb:lease-etcd";
  }

  @Override
  public LeaseStore open(HadbUri uri) {
    return EtcdLeaseStore.open(EtcdLeaseConfig.from(uri));
  }
}
