package io.hadb.lease.s3;

import io.hadb.conformance.LeaseStoreContract;
import io.hadb.testservers.S3ProxyServer;

/** lease-s3 passes the whole lease contract against a real S3Proxy 4.1.0 (If-None-Match only). */
class S3LeaseStoreConformanceTest extends LeaseStoreContract {
  @Override
  protected String uri() {
    return S3ProxyServer.shared().uri("hadb-lease-kit", "leases", "filesystemCompat=true");
  }
}
