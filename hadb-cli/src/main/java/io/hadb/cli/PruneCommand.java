package io.hadb.cli;

import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.engine.RetentionPolicy;
import io.hadb.api.manifest.ManifestStore;
import io.hadb.chain.ChainManifest;
import io.hadb.chain.ChainOptions;
import io.hadb.chain.ChainRetention;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hadb prune}: drops what a retention policy does not keep, the way the leader does after
 * each snapshot (DESIGN §10), so it is safe beside a running leader: dropped objects are first
 * retired in the chain's manifest and deleted only a grace period later, by a later prune or the
 * leader's next snapshot, so a follower or restore that read the manifest before finds all it named.
 */
@Command(name = "prune", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Drops the snapshots and changesets a retention policy does not keep. Safe beside a running leader:",
        "they are retired in the chain's manifest (on --lease) and deleted once --grace passed, by a later prune",
        "or the leader's next snapshot; what was retired earlier than that is deleted now. --dry-run changes nothing.",
        "Example: hadb prune --storage file:///var/lib/hadb/chain --lease file:///var/lib/hadb/leases --db app"
            + " --keep-last 2 --keep-daily 7"})
public final class PruneCommand implements Callable<Integer> {
  @Mixin
  StoreOptions store;

  @Option(names = "--dry-run", description = "Say what would be dropped; change nothing")
  boolean dryRun;

  @Option(names = "--keep-last", defaultValue = "${env:HADB_KEEP_LAST:-0}",
      description = "Keep the newest N snapshots and the changesets after the oldest of them (env HADB_KEEP_LAST)")
  int last;

  @Option(names = "--keep-daily", defaultValue = "${env:HADB_KEEP_DAILY:-0}",
      description = "Keep the newest snapshot of each of the last N days, UTC (env HADB_KEEP_DAILY)")
  int daily;

  @Option(names = "--keep-weekly", defaultValue = "${env:HADB_KEEP_WEEKLY:-0}",
      description = "Keep the newest snapshot of each of the last N ISO weeks (env HADB_KEEP_WEEKLY)")
  int weekly;

  @Option(names = "--keep-monthly", defaultValue = "${env:HADB_KEEP_MONTHLY:-0}",
      description = "Keep the newest snapshot of each of the last N months (env HADB_KEEP_MONTHLY)")
  int monthly;

  @Option(names = "--grace", defaultValue = "${env:HADB_GC_GRACE:-15m}",
      description = "How long a retired object stays before it is deleted: longer than the slowest restore or"
          + " follower catch-up (env HADB_GC_GRACE; default ${DEFAULT-VALUE}, the leaders' default)")
  String grace;

  @Override
  public Integer call() {
    if (last < 0 || daily < 0 || weekly < 0 || monthly < 0) {
      throw new CommandFailure(ExitCodes.USAGE, "--keep-last, --keep-daily, --keep-weekly and --keep-monthly must not"
          + " be negative");
    }
    RetentionPolicy policy = new RetentionPolicy(last, daily, weekly, monthly);
    Duration graceTime = "0".equals(grace) || "0s".equals(grace) ? Duration.ZERO : ServeCommand.duration("--grace", grace);
    if (!dryRun && (store.lease == null || store.lease.isBlank())) {
      throw new CommandFailure(ExitCodes.USAGE, "prune without --dry-run needs --lease (the leaders' lease URI, env"
          + " HADB_LEASE_URL): objects are retired in the chain's manifest there first, so a running leader, its"
          + " followers and restores never lose what they read");
    }
    Optional<ManifestStore> manifests = store.openManifests();
    try (StorageBackend storage = store.openStorage()) {
      ChainOptions options = ChainOptions.from(store.engineOptions(manifests)).withGcGrace(graceTime);
      ChainListing listing = ChainListing.of(storage, store.prefix());
      if (listing.isEmpty()) {
        throw new CommandFailure(ExitCodes.RESTORE, "storage " + store.storageForHumans() + " holds no chain for"
            + " database '" + store.db + "'");
      }
      ChainRetention.Decision d = ChainRetention.plan(storage, store.prefix(), options, policy);
      System.out.println("database " + store.db + " now:");
      System.out.println(listing.describe());
      for (ChainManifest.Snapshot s : d.snapshots()) {
        System.out.println("  snapshot at seq " + s.seq() + " taken " + Instant.ofEpochMilli(s.createdMillis())
            + (s.bytes() > 0 ? ", " + s.bytes() + " bytes" : ""));
      }
      if (policy.keepsAll()) {
        System.out.println("the policy keeps everything (give --keep-last, --keep-daily, --keep-weekly or --keep-monthly)");
        return ExitCodes.OK;
      }
      String what = "snapshots " + d.drop() + (d.dropChangesThrough() > 0
          ? " and the changesets through seq " + d.dropChangesThrough() : " and no changeset");
      if (dryRun) {
        System.out.println("would keep snapshots " + d.keep() + ", drop " + what);
        return ExitCodes.OK;
      }
      ChainRetention.Pruned p;
      try {
        p = ChainRetention.prune(storage, store.prefix(), options, policy);
      } catch (HadbException e) {
        if (e.code() == io.hadb.api.ErrorCode.NOT_FOUND) {
          throw new CommandFailure(ExitCodes.RESTORE, e.getMessage() + "; start a leader (hadb serve) on this chain"
              + " once, or check --lease and --db");
        }
        throw e;
      }
      for (ChainManifest.Retired r : p.collected()) {
        System.out.println("deleted what was retired at " + Instant.ofEpochMilli(r.atMillis()) + ": " + describe(r));
      }
      if (p.retired().isPresent()) {
        ChainManifest.Retired r = p.retired().get();
        System.out.println("retired " + describe(r) + "; deleted from " + Instant.ofEpochMilli(r.atMillis())
            .plus(graceTime) + " by a later prune or the leader's next snapshot");
      } else {
        System.out.println("nothing more to retire: the manifest keeps snapshots "
            + p.manifest().snapshots().stream().map(ChainManifest.Snapshot::seq).toList()
            + " and changesets from seq " + p.manifest().changesFrom());
      }
      for (ChainManifest.Retired r : p.manifest().retired()) {
        if (!p.retired().map(r::equals).orElse(false)) {
          System.out.println("waiting for its grace period: " + describe(r) + ", retired at "
              + Instant.ofEpochMilli(r.atMillis()));
        }
      }
      return ExitCodes.OK;
    } finally {
      manifests.ifPresent(ManifestStore::close);
    }
  }

  private static String describe(ChainManifest.Retired r) {
    return "snapshots " + r.snapshotSeqs() + (r.changesThrough() > 0 ? " and changesets through seq "
        + r.changesThrough() : " and no changeset");
  }
}
