package io.hadb.lease.etcd;

import io.hadb.conformance.ManifestContract;
import io.hadb.testservers.EtcdServer;

/** Manifests on a real etcd pass the contract. */
class EtcdManifestConformanceTest extends ManifestContract {
  @Override
  protected String leaseUri() {
    return EtcdServer.shared().leaseUri("manifests");
  }
}
