package io.hadb.lease.mem;

import io.hadb.conformance.LeaseStoreContract;

/** lease-mem passes the whole lease contract; every test shares one mem: namespace. */
class MemLeaseStoreConformanceTest extends LeaseStoreContract {
  @Override
  protected String uri() {
    return "mem://lease-mem-conformance";
  }
}
