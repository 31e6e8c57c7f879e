package io.hadb.conformance.probe;

import io.hadb.conformance.ContractRunner;
import io.hadb.conformance.internal.Kit;
import java.util.List;

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

  /** Every client URI: those of {@value Kit#CLIENT_URIS} (one per line), or the URI alone. */
  static List<String> clients() {
    String all = System.getProperty(Kit.CLIENT_URIS);
    if (all == null || all.isBlank()) {
      return List.of(get());
    }
    return all.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }
}
