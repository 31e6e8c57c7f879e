package io.hadb.storage.local;

import io.hadb.conformance.StorageBackendContract;

/**
 * The conformance kit against a {@code file:} store. The relative URI resolves against the module
 * directory (surefire's working directory), so the store lives in {@code target/} and is shared
 * by every test of this JVM and by re-runs; the kit keeps each test under its own random prefix.
 */
class LocalStorageBackendConformanceTest extends StorageBackendContract {
  @Override
  protected String uri() {
    return "file:target/local-conformance";
  }
}
