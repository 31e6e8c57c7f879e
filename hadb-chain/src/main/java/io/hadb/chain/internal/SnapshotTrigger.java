package io.hadb.chain.internal;

import io.hadb.api.engine.SnapshotPolicy;
import java.time.Duration;
import java.util.function.LongSupplier;

/** When the leader's own snapshots are due ({@link SnapshotPolicy}): what shipped since the last one. */
final class SnapshotTrigger {
  private final SnapshotPolicy policy;
  private final LongSupplier databaseBytes;
  private long changesets;
  private long bytes;
  private long lastNanos = System.nanoTime();
  private boolean pending; // a trigger fired and its snapshot has not ended

  /** {@code databaseBytes}: the database's size now, asked only when an unscaled count is reached. */
  SnapshotTrigger(SnapshotPolicy policy, LongSupplier databaseBytes) {
    this.policy = policy;
    this.databaseBytes = databaseBytes;
  }

  synchronized void shipped(long changesetBytes) {
    changesets++;
    bytes += changesetBytes;
  }

  /**
   * Whether a snapshot is due now; {@code busy} while one is asked for or copying. An idle
   * shipping leader has nothing new to snapshot, so only {@code snapshotOnly} fires without
   * changesets. One trigger per period, even if the snapshot fails: the counts start over here,
   * not once the snapshot is stored (firing until then queued snapshots back to back, and
   * changesets shipped during the copy went uncounted). No trigger while the last one's snapshot
   * has not {@link #ended}: on a busy machine the snapshot thread started late, and every
   * trigger of a burst queued one more copy of the whole file, all at the burst's last seq.
   */
  synchronized boolean fire(boolean busy, boolean snapshotOnly) {
    boolean changed = changesets > 0 || snapshotOnly;
    Duration since = Duration.ofNanos(System.nanoTime() - lastNanos);
    boolean due = !busy && !pending && changed && policy.isDue(changesets, bytes, since)
        && (policy.scaleAboveBytes() == 0 || policy.isDue(changesets, bytes, since, databaseBytes.getAsLong()));
    if (due) {
      pending = true;
      lastNanos = System.nanoTime();
      changesets = 0;
      bytes = 0;
    }
    return due;
  }

  /** The snapshot a trigger asked for ended, stored or not: the next trigger may fire. */
  synchronized void ended() {
    pending = false;
  }

  /** A snapshot was stored: the interval counts from now. */
  synchronized void stored() {
    lastNanos = System.nanoTime();
  }
}
