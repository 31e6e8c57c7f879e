package io.hadb.chain.internal;

import io.hadb.api.engine.RetentionPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RetentionPlanTest {
  static final long DAY = 86_400_000L;
  static final long T0 = Instant.parse("2026-01-01T06:00:00Z").toEpochMilli();

  /** Two snapshots a day (06:00 and 18:00) for 70 days: seq 1, 2, ... */
  static List<RetentionPlan.Snapshot> twiceADay(int days) {
    List<RetentionPlan.Snapshot> out = new ArrayList<>();
    long seq = 1;
    for (int d = 0; d < days; d++) {
      out.add(new RetentionPlan.Snapshot(seq++, T0 + d * DAY));
      out.add(new RetentionPlan.Snapshot(seq++, T0 + d * DAY + DAY / 2));
    }
    return out;
  }

  @Test
  void keeps_the_last_n_and_the_newest_of_each_day_week_and_month() {
    RetentionPlan plan = RetentionPlan.of(twiceADay(70), new RetentionPolicy(3, 2, 2, 2));
    // last 3: 140, 139, 138; daily 2: days 69 (140) and 68 (138); weekly 2 and monthly 2 below.
    Set<Long> keep = new TreeSet<>(plan.keep());
    assertEquals(true, keep.containsAll(List.of(138L, 139L, 140L)));
    // 2026-03-11 is day 69 (Wednesday, ISO week 11); the newest of week 10 is Sunday 2026-03-08 = day 66.
    assertEquals(true, keep.contains(134L), "newest of the previous ISO week: " + keep);
    // Month 2026-02 ends on day 58 (2026-02-28): its newest snapshot is seq 118.
    assertEquals(true, keep.contains(118L), "newest of the previous month: " + keep);
    assertEquals(Set.of(118L, 134L, 138L, 139L, 140L), keep);
    // Changesets only behind the last 3 (the point-in-time window); 118 and 134 restore alone.
    assertEquals(138L, plan.deleteChangesThrough());
    assertEquals(140 - 5, plan.deleteSnapshots().size());
  }

  @Test
  void keep_all_deletes_nothing_and_the_newest_is_always_kept() {
    RetentionPlan all = RetentionPlan.of(twiceADay(3), RetentionPolicy.keepAll());
    assertEquals(List.of(), all.deleteSnapshots());
    assertEquals(0, all.deleteChangesThrough());
    RetentionPlan daily = RetentionPlan.of(twiceADay(3), new RetentionPolicy(0, 1, 0, 0));
    assertEquals(Set.of(6L), new TreeSet<>(daily.keep()));
    assertEquals(6L, daily.deleteChangesThrough());
  }
}
