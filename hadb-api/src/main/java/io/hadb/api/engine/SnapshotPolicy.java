package io.hadb.api.engine;

import io.hadb.api.HadbException;
import java.time.Duration;

/**
 * When a leader takes snapshots on its own, and which ones it keeps. A snapshot is due when any
 * enabled trigger fires; 0 (or {@link Duration#ZERO}) disables a trigger.
 *
 * <p>A snapshot reads and uploads the whole database, so a count that suits a small database
 * would have a large one snapshot without pause. Above {@code scaleAboveBytes} of database both
 * counts grow in proportion to its size (DESIGN §10): the changesets a snapshot waits for are
 * then worth a fixed share of what it costs, and so is the tail a cold start replays after it.
 *
 * @param everyChangesets after this many changesets since the last snapshot
 * @param everyBytes after this many changeset bytes since the last snapshot
 * @param interval after this much time since the last snapshot (also in SNAPSHOT_ONLY mode)
 * @param retention which snapshots (and so which changesets) to keep
 * @param scaleAboveBytes for a database larger than this, {@code everyChangesets} and
 *     {@code everyBytes} are multiplied by its size over this ({@code interval} is not); 0: never
 */
public record SnapshotPolicy(long everyChangesets, long everyBytes, Duration interval, RetentionPolicy retention,
    long scaleAboveBytes) {
  public SnapshotPolicy {
    if (scaleAboveBytes < 0) {
      throw HadbException.invalidArgument("scaleAboveBytes must not be negative (0: counts never scale), was "
          + scaleAboveBytes);
    }
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

  /** A policy whose counts do not scale with the database's size. */
  public SnapshotPolicy(long everyChangesets, long everyBytes, Duration interval, RetentionPolicy retention) {
    this(everyChangesets, everyBytes, interval, retention, 0);
  }

  /**
   * What the HA facade uses unless told otherwise (DESIGN §10): a snapshot after 500
   * changesets, 16 MiB of changesets or a day, whichever comes first, and
   * {@link RetentionPolicy#defaults()}; above 64 MiB of database the two counts grow with it
   * (a 1 GiB database: 8,000 changesets or 256 MiB), so a snapshot follows at least a quarter
   * of its own size in changeset bytes or one changeset per 128 KiB of it. A restart or a new follower
   * then downloads the base and replays at most about 500 changesets or 16 MiB for a database
   * up to 64 MiB, and a tail of at most a quarter of the base for a larger one; storage holds
   * at most 18 snapshots and the changesets of the last 4 intervals.
   */
  public static SnapshotPolicy defaults() {
    return new SnapshotPolicy(500, 16L << 20, Duration.ofDays(1), RetentionPolicy.defaults(), 64L << 20);
  }

  /** No automatic snapshots (call {@link Replicator#snapshot}); keep everything. */
  public static SnapshotPolicy manual() {
    return new SnapshotPolicy(0, 0, Duration.ZERO, RetentionPolicy.keepAll());
  }

  /** {@link #isDue(long, long, Duration, long)} for a database no larger than {@code scaleAboveBytes}. */
  public boolean isDue(long changesets, long bytes, Duration sinceLast) {
    return isDue(changesets, bytes, sinceLast, 0);
  }

  /**
   * Whether a snapshot is due after {@code changesets} of {@code bytes} in {@code sinceLast}
   * since the last one, for a database of {@code databaseBytes}. Never due sooner than for a
   * smaller database, so a caller may look at the size only when the unscaled answer is yes.
   */
  public boolean isDue(long changesets, long bytes, Duration sinceLast, long databaseBytes) {
    double scale = scaleAboveBytes > 0 && databaseBytes > scaleAboveBytes
        ? databaseBytes / (double) scaleAboveBytes : 1;
    return (everyChangesets > 0 && changesets >= everyChangesets * scale)
        || (everyBytes > 0 && bytes >= everyBytes * scale)
        || (!interval.isZero() && sinceLast.compareTo(interval) >= 0);
  }
}
