package io.hadb.cli;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.HadbUri;
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

  @Override
  public Integer call() {
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
      }
    }
    return ExitCodes.OK;
  }
}
