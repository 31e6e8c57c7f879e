package io.hadb.chain;

import io.hadb.api.HadbException;

/** An open database while it leads (from {@link EngineFile#lead()}). */
public interface LeaderFile {
  /** What the writer commits, as page images. */
  Capture capture();

  /** How committed changes reach the file itself. */
  Checkpointer checkpointer();

  /**
   * The whole database as page images, every commit folded into the file first: the base image
   * an existing file ships as seq 1. The caller holds the write lock. UNAVAILABLE when the file
   * cannot be brought there now.
   */
  PageImages wholeFileLocked();

  /** Reports every write to {@code listener} from now on; the caller holds the write lock. */
  void listen(WriteListener listener);

  /** Every later write fails with {@code why} (fenced, publishing stopped). */
  void refuseWrites(HadbException why);

  /**
   * Back to follower mode (the writer closed; SQLite: back to a rollback journal); the caller
   * holds the write lock and the capture is closed. False when the file could not leave leader
   * mode cleanly: the chain then rebuilds it before it follows.
   */
  boolean resign();
}
