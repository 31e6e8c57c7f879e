package io.hadb.storage.mem;

import io.hadb.conformance.StorageBackendContract;

/** storage-mem passes the whole storage contract; every test shares one mem: namespace. */
class MemStorageBackendConformanceTest extends StorageBackendContract {
  @Override
  protected String uri() {
    return "mem://storage-mem-conformance";
  }
}
