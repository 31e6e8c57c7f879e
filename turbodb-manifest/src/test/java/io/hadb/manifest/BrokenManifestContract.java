package io.hadb.manifest;

import io.hadb.api.LeaseStores;
import io.hadb.api.manifest.ManifestStore;
import io.hadb.conformance.ManifestContract;

/**
 * The manifest contract on a {@link BrokenManifestStore} whose defect the system property
 * {@value #DEFECT} names; run through {@code ContractRunner} by {@link BrokenManifestsAreCaughtTest}
 * (its name keeps Surefire from running it on its own).
 */
public class BrokenManifestContract extends ManifestContract {
  static final String DEFECT = "turbodb.brokenManifest";

  @Override
  protected String leaseUri() {
    return "mem://broken-manifests-" + System.getProperty(DEFECT, "NONE");
  }

  @Override
  protected ManifestStore open() {
    BrokenManifestStore.Defect d = BrokenManifestStore.Defect.valueOf(System.getProperty(DEFECT, "NONE"));
    return new BrokenManifestStore(d, LeaseStores.open(leaseUri()));
  }
}
