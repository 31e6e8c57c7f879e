package io.hadb.engine.sqlite;

/** When a commit counts as done (DESIGN §6.3). */
public enum Durability {
  /**
   * Commit locally and return; a background thread ships at once, batching the commits that
   * queue up meanwhile. RPO = the ship lag.
   */
  ASYNC,
  /**
   * Return only once the changeset holding the commit is durable in storage. Commits that arrive
   * during an upload share the next one (group commit). RPO = 0.
   */
  SYNC,
  /** No continuous shipping; only snapshots (desktop, backups). */
  SNAPSHOT_ONLY
}
