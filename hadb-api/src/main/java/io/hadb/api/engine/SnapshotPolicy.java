package io.hadb.api.engine;

import io.hadb.api.HadbException;
import java.time.Duration;

/**
 * When a leader takes snapshots on its own, and which ones it keeps. A snapshot is due when any
 * enabled trigger fires; 0 (or {@link Duration#ZERO}) disables a trigger.
 *
 * @param everyChangesets after this many changesets since the last snapshot
 * @param everyBytes after this many changeset bytes since the last snapshot
 * @param interval after this much time since the last snapshot (also in SNAPSHOT_ONLY mode)
 * @param retention which snapshots (and so which changesets) to keep
 */
public record SnapshotPolicy(long everyChangesets, long everyBytes, Duration interval, RetentionPolicy retention) {
  public SnapshotPolicy {
    if (everyChangesets < 0) {
      throw HadbException.invalidArgument("everyChangesets must not be negative, was " + everyChangesets);
    }
    if (everyBytes < 0) {
      throw HadbException.invalidArgument("everyBytes must not be negative, was " + everyBytes);
    }
    HadbException.requireArg(interval, "interval");
    if (interval.isNegative()) {
      throw HadbException.invalidArgument("interval must not be negative, was " + interval);
    }
    HadbException.requireArg(retention, "retention");
  }

  /**
   * What the HA facade uses unless told otherwise (DESIGN §10): a snapshot after 500
   * changesets, 16 MiB of changesets or a day, whichever comes first, and
   * {@link RetentionPolicy#defaults()}. A restart or a new follower then downloads the base and
   * replays at most about 500 changesets or 16 MiB (the replay cost grows with both: objects
   * fetched one by one, bytes applied), and storage holds at most 18 snapshots and the
   * changesets of the last 4 intervals. Each snapshot reads and uploads the whole database:
   * a database of many GiB under a steady write load should raise the counts.
   */
  public static SnapshotPolicy defaults() {
    return new SnapshotPolicy(500, 16L << 20, Duration.ofDays(1), RetentionPolicy.defaults());
  }

  /** No automatic snapshots (call {@link Replicator#snapshot}); keep everything. */
  public static SnapshotPolicy manual() {
    return new SnapshotPolicy(0, 0, Duration.ZERO, RetentionPolicy.keepAll());
  }

  public boolean isDue(long changesets, long bytes, Duration sinceLast) {
    return (everyChangesets > 0 && changesets >= everyChangesets)
        || (everyBytes > 0 && bytes >= everyBytes)
        || (!interval.isZero() && sinceLast.compareTo(interval) >= 0);
  }
}
