package io.hadb.lease.storage;

import io.hadb.conformance.LeaseStoreContract;

/** The lease kit against the generic store on the in-process mem: backend, default options. */
class StorageLeaseStoreConformanceTest extends LeaseStoreContract {
  @Override
  protected String uri() {
    return "leaseonmem://lease-storage-kit";
  }
}
