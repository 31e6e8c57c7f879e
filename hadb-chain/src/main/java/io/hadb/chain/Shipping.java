package io.hadb.chain;

/**
 * What an engine's {@link Checkpointer} may ask of the publisher, on the shipper thread: a
 * checkpoint may fold into the file only what the chain already has, so it ships first.
 */
public interface Shipping {
  /**
   * Whether captured commits reach the chain at all: false in SNAPSHOT_ONLY mode, where a
   * snapshot is the only copy and a checkpoint needs no ship before it.
   */
  boolean ships();

  /** Captures and ships everything committed so far; false when publishing stopped meanwhile. */
  boolean shipCommitted();

  /** Publishing stopped or failed: start no more checkpoint work. */
  boolean stopped();

  /** Pages shipped since the last {@link #checkpointed()}: the engine's cadence. */
  long shippedSinceCheckpoint();

  /** The engine folded everything shipped into its file: {@link #shippedSinceCheckpoint} starts over. */
  void checkpointed();

  /**
   * Captures what is committed now; the caller holds the engine's write lock, so nothing commits
   * meanwhile. A capture of up to 32 MB is copied to memory, to ship once the lock is released
   * ({@link Pending#ship}), because the engine's next step may discard what the capture reads
   * (SQLite's checkpoint restarts the log); a larger one ships right here, under the lock. Null
   * when publishing stopped during that ship.
   */
  Pending captureLocked();

  /** What {@link #captureLocked} took, for the caller to ship after releasing the lock. */
  @FunctionalInterface
  interface Pending {
    Pending NONE = () -> true;

    /** Ships it (or marks nothing-to-ship as shipped); false when publishing stopped meanwhile. */
    boolean ship();
  }
}
