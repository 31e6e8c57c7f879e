package io.hadb.manifest;

import io.hadb.conformance.ManifestContract;

/** Manifests on lease-mem pass the manifest contract. */
class MemManifestConformanceTest extends ManifestContract {
  @Override
  protected String leaseUri() {
    return "mem://manifest-conformance";
  }
}
