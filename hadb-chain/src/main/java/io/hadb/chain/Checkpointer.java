package io.hadb.chain;

/**
 * Leader side of the seam, for engines that keep commits outside the database file until a
 * checkpoint folds them in (SQLite's WAL, DESIGN §6.5). Runs on the publisher's shipper thread.
 * The rule it keeps: nothing is folded into the file before it is in the chain, so a checkpoint
 * ships through {@link Shipping} before it copies.
 */
public interface Checkpointer extends AutoCloseable {
  /**
   * After each ship: checkpoints when the engine finds it due (by
   * {@link Shipping#shippedSinceCheckpoint}), calling {@link Shipping#checkpointed} once the file
   * holds everything shipped. A failure to copy is the engine's to log and retry later; a failure
   * to ship propagates (it stops publishing).
   */
  void afterShip(Shipping shipping);

  /**
   * For a snapshot: brings every commit into the file and keeps the file as it is until
   * {@link #release}, while writers go on. Returns what the caller ships (after the engine's
   * locks are released) to make the file's state the chain's; the snapshot's seq is the chain's
   * end after that ship. Fails with UNAVAILABLE when the file cannot be brought there now (the
   * caller may try again), NOT_LEADER when publishing stopped.
   */
  Shipping.Pending holdForSnapshot(Shipping shipping);

  /** The snapshot is copied (or failed): checkpoints may run again. */
  void release();

  /** When the shipper thread ends: releases what the checkpoints held. */
  @Override
  void close();
}
