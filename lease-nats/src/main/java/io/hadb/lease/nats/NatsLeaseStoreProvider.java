package io.hadb.lease.nats;

import com.google.auto.service.AutoService;
import io.hadb.api.HadbUri;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStoreProvider;

/** Serves {@code nats://host:4222?bucket=leases} URIs: leases in a JetStream KV bucket. */
@AutoService(LeaseStoreProvider.class)
public final class NatsLeaseStoreProvider implements LeaseStoreProvider {

  @Override
  public String scheme() {
    return "nats";
  }

  @Override
  public String artifact() {
    return "io.hadb:lease-nats";
  }

  @Override
  public LeaseStore open(HadbUri uri) {
    return NatsLeaseStore.open(NatsLeaseConfig.from(uri));
  }
}
