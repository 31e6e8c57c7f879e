package io.hadb.coordinator;

/** When {@link HaDatabase} acknowledges a write (DESIGN §6.3). */
public enum Durability {
  /**
   * A write returns once the changeset holding it is durable in storage: an acknowledged write
   * survives the leader's loss (RPO 0). Forwarded writes always wait for it.
   */
  SYNC,
  /**
   * A local write returns once committed on the leader; the engine ships it at once in the
   * background. A leader lost before the upload loses it (RPO = the ship lag).
   */
  ASYNC,
  /** Snapshots only, no continuous shipping: not available through HaDatabase (rejected at open). */
  SNAPSHOT_ONLY
}
