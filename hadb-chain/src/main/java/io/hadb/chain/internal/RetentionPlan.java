package io.hadb.chain.internal;

import io.hadb.api.engine.RetentionPolicy;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** Pure decision of what retention keeps and deletes, so it can be tested without storage. */
public final class RetentionPlan {
  /** A stored snapshot: its seq and when it was taken. */
  public record Snapshot(long seq, long createdMillis) {}

  private final Set<Long> keep;
  private final List<Long> deleteSnapshots;
  private final long deleteChangesThrough;

  private RetentionPlan(Set<Long> keep, List<Long> deleteSnapshots, long deleteChangesThrough) {
    this.keep = keep;
    this.deleteSnapshots = deleteSnapshots;
    this.deleteChangesThrough = deleteChangesThrough;
  }

  public static RetentionPlan of(List<Snapshot> snapshots, RetentionPolicy policy) {
    List<Snapshot> newestFirst = new ArrayList<>(snapshots);
    newestFirst.sort(Comparator.comparingLong(Snapshot::seq).reversed());
    if (newestFirst.isEmpty() || policy.keepsAll()) {
      return new RetentionPlan(new TreeSet<>(snapshots.stream().map(Snapshot::seq).toList()), List.of(), 0);
    }
    Set<Long> keep = new LinkedHashSet<>();
    keep.add(newestFirst.get(0).seq());
    newestFirst.stream().limit(policy.last()).forEach(s -> keep.add(s.seq()));
    keepNewestPer(newestFirst, policy.daily(), d -> d.toString(), keep);
    keepNewestPer(newestFirst, policy.weekly(),
        d -> d.get(IsoFields.WEEK_BASED_YEAR) + "-W" + d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), keep);
    keepNewestPer(newestFirst, policy.monthly(), d -> d.getYear() + "-" + d.getMonthValue(), keep);
    List<Long> delete = newestFirst.stream().map(Snapshot::seq).filter(s -> !keep.contains(s)).sorted().toList();
    // Changesets are kept only behind the last N snapshots (the point-in-time window); older
    // daily, weekly and monthly snapshots are restore points of their own. Keeping the chain
    // behind the oldest monthly snapshot would keep months of changesets: storage would grow
    // with the database's age, not with the policy.
    int window = Math.max(1, Math.min(policy.last(), newestFirst.size()));
    long windowStart = newestFirst.get(window - 1).seq();
    return new RetentionPlan(new TreeSet<>(keep), delete, windowStart);
  }

  /** The newest snapshot of each of the {@code periods} most recent periods that have one. */
  private static void keepNewestPer(List<Snapshot> newestFirst, int periods, Function<LocalDate, String> period,
      Set<Long> keep) {
    Set<String> seen = new LinkedHashSet<>();
    for (Snapshot s : newestFirst) {
      if (seen.size() >= periods) {
        return;
      }
      String p = period.apply(LocalDate.ofInstant(Instant.ofEpochMilli(s.createdMillis()), ZoneOffset.UTC));
      if (seen.add(p)) {
        keep.add(s.seq());
      }
    }
  }

  public Set<Long> keep() {
    return keep;
  }

  public List<Long> deleteSnapshots() {
    return deleteSnapshots;
  }

  /**
   * Changesets with a seq up to this one may go (0: none): the oldest of the last N snapshots
   * (the newest when N is 0). Restoring from it needs only the changesets after it, and the
   * snapshot names the checksum of its own seq, so the first of those still verifies; older
   * kept snapshots restore to exactly their own seq.
   */
  public long deleteChangesThrough() {
    return deleteChangesThrough;
  }
}
