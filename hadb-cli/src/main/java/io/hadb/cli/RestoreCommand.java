package io.hadb.cli;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.engine.EngineOptions;
import io.hadb.api.engine.RestorePoint;
import io.hadb.api.manifest.ManifestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hadb restore}: builds a database file as of the chain's end, a seq or a moment. */
@Command(name = "restore", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Builds a new database file from storage: the newest usable snapshot, then every changeset after it,",
        "each verified before it is applied; the file appears complete or not at all.",
        "Give --lease (the leaders' lease URI) to take the base from the chain's manifest instead of a listing.",
        "Example: hadb restore --storage file:///var/lib/hadb/chain --lease file:///var/lib/hadb/leases --db app"
            + " --to /tmp/app.db --time 2026-12-06T15:00:00Z --parallelism 8"})
public final class RestoreCommand implements Callable<Integer> {
  @Mixin
  StoreOptions store;

  @Option(names = "--to", required = true, paramLabel = "FILE", description = "The new file (must not exist)")
  Path to;

  @ArgGroup(exclusive = true)
  Point point;

  static final class Point {
    @Option(names = "--seq", paramLabel = "N", description = "Restore up to and including changeset N")
    Long seq;

    @Option(names = "--time", paramLabel = "ISO-8601",
        description = "Restore the state at this moment (the last changeset the leader shipped at or before it),"
            + " e.g. 2026-12-06T15:00:00Z")
    String time;
  }

  @Option(names = "--parallelism", defaultValue = "${env:HADB_RESTORE_PARALLELISM:-4}", paramLabel = "N",
      description = "Objects downloaded at once, ahead of the apply, which stays in order (1-64; env"
          + " HADB_RESTORE_PARALLELISM; default ${DEFAULT-VALUE})")
  int parallelism;

  @Option(names = "--dry-run", description = "Say what would be restored (the chain's range and snapshots) and write nothing")
  boolean dryRun;

  @Option(names = "--progress-every", defaultValue = "1s", hidden = true,
      description = "How often a plain progress line is printed when not on a terminal")
  String progressEvery;

  @Override
  public Integer call() {
    RestorePoint p = restorePoint();
    if (Files.exists(to)) {
      throw new CommandFailure(ExitCodes.RESTORE, "--to " + to + " exists; restore makes a new file (remove it or"
          + " choose another name)");
    }
    if (parallelism < 1 || parallelism > 64) {
      throw new CommandFailure(ExitCodes.USAGE, "--parallelism must be between 1 and 64, was " + parallelism);
    }
    Optional<ManifestStore> manifests = store.openManifests();
    try (StorageBackend storage = store.openStorage()) {
      if (dryRun) {
        ChainListing l = ChainListing.of(storage, store.prefix());
        if (l.isEmpty()) {
          throw new CommandFailure(ExitCodes.RESTORE, "nothing to restore: no chain for database '" + store.db
              + "' in " + store.storageForHumans());
        }
        System.out.println("would restore database " + store.db + " (" + describe(p) + ") into " + to);
        System.out.println(l.describe());
        return ExitCodes.OK;
      }
      ProgressDisplay progress = new ProgressDisplay(System.err, "restore " + store.db, System.console() != null,
          ServeCommand.duration("--progress-every", progressEvery).toNanos());
      long seq;
      try {
        EngineOptions options = store.engineOptions(manifests)
            .withSetting("downloadParallelism", Integer.toString(parallelism));
        seq = store.engine().restore(storage, store.prefix(), to, p, options, progress);
      } catch (HadbException e) {
        if (e.code() == ErrorCode.NOT_FOUND) {
          throw new CommandFailure(ExitCodes.RESTORE, e.getMessage());
        }
        throw e;
      }
      progress.finish();
      System.out.println("restored database " + store.db + " at seq " + seq + " into " + to);
      return ExitCodes.OK;
    } finally {
      manifests.ifPresent(ManifestStore::close);
    }
  }

  private RestorePoint restorePoint() {
    if (point == null) {
      return RestorePoint.latest();
    }
    if (point.seq != null) {
      if (point.seq < 1) {
        throw new CommandFailure(ExitCodes.USAGE, "--seq must be at least 1, was " + point.seq);
      }
      return RestorePoint.seq(point.seq);
    }
    try {
      return RestorePoint.time(Instant.parse(point.time));
    } catch (DateTimeParseException e) {
      throw new CommandFailure(ExitCodes.USAGE, "--time takes an ISO-8601 instant such as 2026-12-06T15:00:00Z, was '"
          + point.time + "'");
    }
  }

  private static String describe(RestorePoint p) {
    if (p instanceof RestorePoint.AtSeq s) {
      return "up to seq " + s.seq();
    }
    if (p instanceof RestorePoint.AtTime t) {
      return "as of " + t.time();
    }
    return "the chain's end";
  }
}
