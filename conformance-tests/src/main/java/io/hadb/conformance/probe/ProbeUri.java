package io.hadb.conformance.probe;

import io.hadb.conformance.ContractRunner;

final class ProbeUri {
  private ProbeUri() {}

  static String get() {
    String uri = System.getProperty(ContractRunner.URI_PROPERTY);
    if (uri == null || uri.isBlank()) {
      throw new IllegalStateException("set the system property " + ContractRunner.URI_PROPERTY
          + " to the URI of the store to probe (ContractRunner and StoreProbe do this)");
    }
    return uri;
  }
}
