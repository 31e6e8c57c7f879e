package io.hadb.api;

/**
 * When a commit counts as done (DESIGN §6.3). One type for the engines and for the facade: the
 * facade passes it to the engine it opens.
 */
public enum Durability {
  /**
   * A write returns once the changeset holding it is durable in storage: an acknowledged write
   * survives the leader's loss (RPO 0). Commits that arrive during an upload share the next one
   * (group commit). Forwarded writes always wait for it.
   */
  SYNC,
  /**
   * A write returns once committed on the leader; a background thread ships it at once, batching
   * the commits that queue up meanwhile. A leader lost before the upload loses it (RPO = the ship
   * lag).
   */
  ASYNC,
  /**
   * No continuous shipping; only snapshots (desktop, backups). Not available through the HA
   * facade, whose followers replicate the changeset chain.
   */
  SNAPSHOT_ONLY
}
