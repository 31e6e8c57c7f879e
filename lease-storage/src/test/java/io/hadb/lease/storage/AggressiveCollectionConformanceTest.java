package io.hadb.lease.storage;

import io.hadb.conformance.LeaseStoreContract;

/**
 * The lease kit against the generic store with the most aggressive collection the protocol
 * allows (keep 2 versions, collect after every win, in the writing thread), so every race of the
 * kit also races the deletion of old versions.
 */
class AggressiveCollectionConformanceTest extends LeaseStoreContract {
  @Override
  protected String uri() {
    return "leaseonmem://lease-storage-kit-gc?keep=2&collectEvery=1&collection=inline";
  }
}
