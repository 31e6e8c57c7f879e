package io.hadb.chain;

import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.engine.RetentionPolicy;
import io.hadb.chain.internal.ManifestKeeper;
import io.hadb.chain.internal.RetentionPlan;
import io.hadb.chain.internal.Snapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Retention on an operator's demand (DESIGN §10), beside the leader's own after each snapshot:
 * what a policy would drop from a chain, and dropping it the way the leader does, so that a
 * running leader, its followers and any restore in progress are never surprised.
 */
public final class ChainRetention {
  private ChainRetention() {}

  /**
   * A policy's decision over a chain's snapshots.
   *
   * @param snapshots the snapshots considered, ascending: the manifest's kept ones, or (without a
   *     usable manifest) every stored one, its header read for its time
   * @param fromManifest whether they come from the manifest
   * @param keep the seqs the policy keeps
   * @param drop the seqs it drops
   * @param dropChangesThrough changesets up to this seq are dropped (0: none)
   */
  public record Decision(List<ChainManifest.Snapshot> snapshots, boolean fromManifest, List<Long> keep,
      List<Long> drop, long dropChangesThrough) {}

  /** What {@link #prune} did. */
  public record Pruned(ChainManifest manifest, Optional<ChainManifest.Retired> retired,
      List<ChainManifest.Retired> collected) {}

  /** What {@code policy} would drop from the chain under {@code prefix}; reads, never writes. */
  public static Decision plan(StorageBackend storage, String prefix, ChainOptions options, RetentionPolicy policy) {
    HadbException.requireArg(policy, "policy");
    ChainKeys keys = ChainKeys.of(prefix);
    Optional<ChainManifest> m = ManifestKeeper.of(storage, keys, options).flatMap(ManifestKeeper::readOrWarn)
        .map(ManifestKeeper.Stored::manifest);
    List<ChainManifest.Snapshot> snaps = new ArrayList<>();
    if (m.isPresent()) {
      snaps.addAll(m.get().snapshots());
    } else {
      for (long seq : Snapshots.list(storage, keys)) {
        snaps.add(new ChainManifest.Snapshot(seq,
            Snapshots.header(storage, keys.snapshot(seq), options.decode()).createdMillis(), 0, ""));
      }
    }
    RetentionPlan p = RetentionPlan.of(snaps.stream().map(s -> new RetentionPlan.Snapshot(s.seq(), s.createdMillis()))
        .toList(), policy);
    long from = m.map(ChainManifest::changesFrom).orElse(1L);
    long through = snaps.isEmpty() || policy.keepsAll() || p.deleteChangesThrough() < from ? 0
        : p.deleteChangesThrough();
    return new Decision(List.copyOf(snaps), m.isPresent(), List.copyOf(p.keep()), p.deleteSnapshots(), through);
  }

  /**
   * Prunes the chain under {@code prefix} by {@code policy}, safe beside a running leader: deletes
   * the batches retired at least {@link ChainOptions#gcGrace()} ago, retires what the policy drops
   * now (deleted by a later prune or by the leader's next snapshot once the grace period passed,
   * so a follower or restore that read the manifest before finds everything it named), and
   * writes the manifest by compare-and-set at the epoch stored in it. Needs the manifest store in
   * {@code options} (the lease URI the leaders use); NOT_FOUND when the chain has no manifest.
   */
  public static Pruned prune(StorageBackend storage, String prefix, ChainOptions options, RetentionPolicy policy) {
    HadbException.requireArg(policy, "policy");
    ChainKeys keys = ChainKeys.of(prefix);
    ManifestKeeper keeper = ManifestKeeper.of(storage, keys, options).orElseThrow(() -> HadbException.invalidArgument(
        "pruning needs the manifest store (the lease store the leaders use); none was given"));
    ManifestKeeper.Pruned p = keeper.prune(policy);
    return new Pruned(p.written(), p.retired(), p.collected());
  }
}
