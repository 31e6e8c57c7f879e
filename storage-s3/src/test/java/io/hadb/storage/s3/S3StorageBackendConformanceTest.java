package io.hadb.storage.s3;

import io.hadb.conformance.StorageBackendContract;
import io.hadb.testservers.S3ProxyServer;

/**
 * The storage conformance kit against a real S3Proxy. {@code filesystemCompat=true} because
 * S3Proxy keeps objects as files and so cannot otherwise hold {@code a} beside {@code a/b}.
 */
class S3StorageBackendConformanceTest extends StorageBackendContract {
  @Override
  protected String uri() {
    return S3ProxyServer.shared().uri("hadb-conformance", "storage", "filesystemCompat=true");
  }
}
