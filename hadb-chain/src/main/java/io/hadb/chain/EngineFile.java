package io.hadb.chain;

import java.nio.file.Path;
import java.util.concurrent.locks.Lock;

/**
 * The engine's half of the seam for one open database (DESIGN §3.3). hadb-chain publishes,
 * follows, rebuilds and snapshots the file through it; the engine implements this, the
 * {@link Capture} and {@link Checkpointer} of {@link #lead()}, its {@link Applier}, its executor
 * and its dialect, and nothing about the chain.
 *
 * <p>A database opens as a follower: its readers read the file, and {@link #applier()} brings
 * each verified batch in without a torn read. {@link #lead()} makes it writable.
 */
public interface EngineFile extends PageFile {
  /** The file as the user named it; the chain keeps its records beside it. */
  Path path();

  /** The lock the engine's writer holds for every write: while it is held nothing commits. */
  Lock writeLock();

  /**
   * Replaces the whole content with {@code pages} in one apply readers never see half of,
   * whatever the file held (a rebuild from the chain, after a write outside the library).
   */
  void replaceWith(PageImages pages);

  /**
   * Makes the file writable through the engine's executor (SQLite: WAL mode, the one write
   * connection attached) and returns its leader side. Writes are refused until then.
   */
  LeaderFile lead();
}
