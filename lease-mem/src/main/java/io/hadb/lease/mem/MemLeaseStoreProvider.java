package io.hadb.lease.mem;

import com.google.auto.service.AutoService;
import io.hadb.api.HadbUri;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStoreProvider;
import io.hadb.lease.mem.internal.RegisterSpace;

/** Serves {@code mem://name}: in-memory registers shared by every client of that name in the JVM. */
@AutoService(LeaseStoreProvider.class)
public final class MemLeaseStoreProvider implements LeaseStoreProvider {

  @Override
  public String scheme() {
    return MemLeaseConfig.SCHEME;
  }

  @Override
  public String artifact() {
    return "io.hadb:lease-mem";
  }

  @Override
  public LeaseStore open(HadbUri uri) {
    MemLeaseConfig config = MemLeaseConfig.from(uri);
    return new MemLeaseStore(config, RegisterSpace.named(config.name()));
  }
}
