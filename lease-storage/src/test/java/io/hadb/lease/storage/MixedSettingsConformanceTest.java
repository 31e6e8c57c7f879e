package io.hadb.lease.storage;

import io.hadb.conformance.LeaseStoreContract;
import java.util.List;

/**
 * The lease kit against the generic store with clients of one register configured differently,
 * as during a rolling change of settings: half keep the default 16 versions and collect in the
 * background, half keep 2 and collect inline after every win. Every rule, the races included,
 * mixes them, which is where a client trusting its own {@code keep} next to a more eager collector
 * goes wrong.
 */
class MixedSettingsConformanceTest extends LeaseStoreContract {
  private static final String NAMESPACE = "leaseonmem://lease-storage-kit-mixed";

  @Override
  protected String uri() {
    return NAMESPACE;
  }

  @Override
  protected List<String> clientUris() {
    return List.of(NAMESPACE, NAMESPACE + "?keep=2&collectEvery=1&collection=inline");
  }
}
