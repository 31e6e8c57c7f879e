package io.hadb.lease.nats;

import io.hadb.conformance.LeaseStoreContract;
import io.hadb.testservers.NatsServer;

/** lease-nats passes the whole lease contract against a real nats-server with JetStream. */
class NatsLeaseStoreConformanceTest extends LeaseStoreContract {
  @Override
  protected String uri() {
    return NatsServer.shared().leaseUri("conformance");
  }
}
