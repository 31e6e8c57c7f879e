package io.hadb.conformance.probe;

import io.hadb.conformance.ContractRunner;
import io.hadb.conformance.StorageBackendContract;
import java.util.List;

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

  @Override
  protected List<String> clientUris() {
    return ProbeUri.clients();
  }
}
