package io.hadb.lease.etcd;

import io.hadb.conformance.LeaseStoreContract;
import io.hadb.testservers.EtcdServer;

/** lease-etcd passes the whole lease contract against a real single-member etcd. */
class EtcdLeaseStoreConformanceTest extends LeaseStoreContract {
  @Override
  protected String uri() {
    return EtcdServer.shared().leaseUri("conformance/");
  }
}
