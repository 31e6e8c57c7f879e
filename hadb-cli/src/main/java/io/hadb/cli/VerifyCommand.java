package io.hadb.cli;

import io.hadb.api.StorageBackend;
import io.hadb.api.manifest.ManifestStore;
import java.util.Optional;
import io.hadb.api.engine.VerifyReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hadb verify}: reads every retained snapshot and changeset of a database and checks them. */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Reads every snapshot and changeset of a database in full and checks each and the links between them;",
        "names the first bad object and exits 4 when one fails.",
        "Example: hadb verify --storage file:///var/lib/hadb/chain --db app"})
public final class VerifyCommand implements Callable<Integer> {
  @Mixin
  StoreOptions store;

  @Override
  public Integer call() {
    VerifyReport r;
    Optional<ManifestStore> manifests = store.openManifests();
    try (StorageBackend storage = store.openStorage()) {
      r = store.engine().verify(storage, store.prefix(), store.engineOptions(manifests));
    } finally {
      manifests.ifPresent(ManifestStore::close);
    }
    if (r.changesets() == 0 && r.snapshots() == 0 && r.ok()) {
      throw new CommandFailure(ExitCodes.RESTORE, "storage " + store.storageForHumans() + " holds no chain for"
          + " database '" + store.db + "' (nothing under '" + store.prefix() + "'); check --storage and --db");
    }
    System.out.println("database " + store.db + ": " + r.snapshots() + " snapshots, " + r.changesets()
        + " changesets checked (seq " + r.firstSeq() + ".." + r.lastSeq() + ")");
    if (!r.ok()) {
      System.out.println("FAILED at " + r.firstBadKey().get() + ": " + r.problem().orElse("(no detail)"));
      return ExitCodes.INTEGRITY;
    }
    System.out.println("ok");
    return ExitCodes.OK;
  }
}
