package io.hadb.cli;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.HadbException;
import io.hadb.api.HadbUri;
import io.hadb.api.manifest.Manifest;
import io.hadb.api.manifest.ManifestStore;
import io.hadb.api.manifest.ManifestStores;
import io.hadb.chain.ChainManifest;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hadb list}: the databases a storage URI holds, or one database's chain and snapshots. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Lists the databases in storage (each with its changesets and snapshots), or only the one --db names.",
        "Reads listings only, never an object.",
        "Example: hadb list --storage file:///var/lib/hadb/chain"})
public final class ListCommand implements Callable<Integer> {
  @Option(names = "--storage", required = true, defaultValue = "${env:HADB_STORAGE_URL}",
      description = "Storage URI (env HADB_STORAGE_URL)")
  String storage;

  @Option(names = "--db", defaultValue = "${env:HADB_DB}", description = "Only this database (env HADB_DB)")
  String db;

  @Option(names = "--lease", defaultValue = "${env:HADB_LEASE_URL}",
      description = "Lease store URI the leaders use (env HADB_LEASE_URL): also print each chain's manifest (kept"
          + " snapshots with times and sizes, first kept changeset, retired objects awaiting deletion)")
  String lease;

  @Override
  public Integer call() {
    Optional<ManifestStore> manifests = lease == null || lease.isBlank() ? Optional.empty()
        : Optional.of(ManifestStores.open(lease));
    try (StorageBackend s = StorageBackends.open(storage)) {
      TreeSet<String> names = new TreeSet<>();
      if (db != null) {
        names.add(db.endsWith("/") ? db.substring(0, db.length() - 1) : db);
      } else {
        for (String k : s.listAll("")) {
          int changes = k.indexOf("/changes/");
          int snaps = k.indexOf("/snapshots/");
          int at = changes >= 0 ? changes : snaps;
          if (at > 0) {
            names.add(k.substring(0, at));
          }
        }
      }
      if (names.isEmpty()) {
        System.out.println("no database in " + HadbUri.redact(storage));
        return ExitCodes.OK;
      }
      for (String name : names) {
        ChainListing l = ChainListing.of(s, name + "/");
        System.out.println(name + (l.isEmpty() ? ": nothing in storage" : ""));
        if (!l.isEmpty()) {
          System.out.println(l.describe());
        }
        manifests.ifPresent(m -> System.out.println(manifest(m, name)));
      }
    } finally {
      manifests.ifPresent(ManifestStore::close);
    }
    return ExitCodes.OK;
  }

  /** The manifest's view of one chain, as lines; a missing or damaged manifest is said so. */
  static String manifest(ManifestStore store, String name) {
    Optional<Manifest> raw = store.read(name);
    if (raw.isEmpty()) {
      return "  manifest:   none (no leader with this lease store has claimed the chain)";
    }
    StringBuilder sb = new StringBuilder("  manifest:   version " + raw.get().version() + ", written at epoch "
        + raw.get().epoch());
    ChainManifest m;
    try {
      m = ChainManifest.decode(name + "/manifest", raw.get().document());
    } catch (HadbException e) {
      return sb.append(", unreadable: ").append(e.getMessage()).toString();
    }
    for (ChainManifest.Snapshot snap : m.snapshots()) {
      sb.append("\n    snapshot seq ").append(snap.seq()).append(", taken ")
          .append(Instant.ofEpochMilli(snap.createdMillis())).append(", ").append(snap.bytes()).append(" bytes");
    }
    sb.append("\n    changesets kept from seq ").append(m.changesFrom());
    for (ChainManifest.Retired r : m.retired()) {
      sb.append("\n    retired at ").append(Instant.ofEpochMilli(r.atMillis())).append(": snapshots ")
          .append(r.snapshotSeqs()).append(r.changesThrough() > 0 ? ", changesets through seq " + r.changesThrough() : "");
    }
    return sb.toString();
  }
}
