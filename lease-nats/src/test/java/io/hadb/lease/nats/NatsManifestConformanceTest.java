package io.hadb.lease.nats;

import io.hadb.conformance.ManifestContract;
import io.hadb.testservers.NatsServer;

/** Manifests on a real nats-server (JetStream KV) pass the contract. */
class NatsManifestConformanceTest extends ManifestContract {
  @Override
  protected String leaseUri() {
    return NatsServer.shared().leaseUri("manifests");
  }
}
