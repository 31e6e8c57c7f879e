package io.hadb.cli;

import io.hadb.api.StorageBackend;
import io.hadb.api.engine.RetentionPolicy;
import io.hadb.chain.ChainKeys;
import io.hadb.chain.ChainOptions;
import io.hadb.chain.internal.RetentionPlan;
import io.hadb.chain.internal.Snapshots;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hadb prune --dry-run}: what a retention policy would delete from a database's chain,
 * decided by the same plan the leader applies after each snapshot. Deleting is the leader's job
 * (its snapshot policy), so two deleters never race over one chain.
 */
@Command(name = "prune", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Shows which snapshots and changesets a retention policy would delete (reads snapshot headers only).",
        "Only with --dry-run: the leader deletes, by the retention of its snapshot policy.",
        "Example: hadb prune --dry-run --storage file:///var/lib/hadb/chain --db app --keep-last 2 --keep-daily 7"})
public final class PruneCommand implements Callable<Integer> {
  @Mixin
  StoreOptions store;

  @Option(names = "--dry-run", required = true, description = "Say what would be deleted; delete nothing (required)")
  boolean dryRun;

  @Option(names = "--keep-last", defaultValue = "${env:HADB_KEEP_LAST:-0}",
      description = "Keep the newest N snapshots (env HADB_KEEP_LAST; default ${DEFAULT-VALUE})")
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

  @Override
  public Integer call() {
    RetentionPolicy policy = new RetentionPolicy(last, daily, weekly, monthly);
    ChainKeys keys = ChainKeys.of(store.prefix());
    try (StorageBackend storage = store.openStorage()) {
      ChainOptions options = ChainOptions.from(store.engineOptions());
      List<RetentionPlan.Snapshot> stored = new ArrayList<>();
      for (long seq : Snapshots.list(storage, keys)) {
        stored.add(new RetentionPlan.Snapshot(seq,
            Snapshots.header(storage, keys.snapshot(seq), options.decode()).createdMillis()));
      }
      ChainListing listing = ChainListing.of(storage, keys.prefix());
      if (listing.isEmpty()) {
        throw new CommandFailure(ExitCodes.RESTORE, "storage " + store.storageForHumans() + " holds no chain for"
            + " database '" + store.db + "'");
      }
      System.out.println("database " + store.db + " now:");
      System.out.println(listing.describe());
      for (RetentionPlan.Snapshot s : stored) {
        System.out.println("  snapshot at seq " + s.seq() + " taken " + Instant.ofEpochMilli(s.createdMillis()));
      }
      if (policy.keepsAll()) {
        System.out.println("the policy keeps everything (give --keep-last, --keep-daily, --keep-weekly or --keep-monthly)");
        return ExitCodes.OK;
      }
      RetentionPlan plan = RetentionPlan.of(stored, policy);
      long changes = listing.changes() == 0 ? 0
          : Math.max(0, Math.min(plan.deleteChangesThrough(), listing.lastChange()) - listing.firstChange() + 1);
      System.out.println("would keep snapshots " + plan.keep() + ", delete snapshots " + plan.deleteSnapshots()
          + (changes > 0 ? " and " + changes + " changesets (seq " + listing.firstChange() + ".."
              + plan.deleteChangesThrough() + ")" : " and no changeset"));
    }
    return ExitCodes.OK;
  }
}
