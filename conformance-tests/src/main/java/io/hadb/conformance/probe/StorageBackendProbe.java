package io.hadb.conformance.probe;

import io.hadb.conformance.ContractRunner;
import io.hadb.conformance.StorageBackendContract;

/**
 * The storage contract against the URI in the system property
 * {@value ContractRunner#URI_PROPERTY}: what {@link io.hadb.conformance.StoreProbe} and
 * {@link ContractRunner} run.
 */
public class StorageBackendProbe extends StorageBackendContract {
  @Override
  protected String uri() {
    return ProbeUri.get();
  }
}
