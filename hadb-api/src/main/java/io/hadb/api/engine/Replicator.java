package io.hadb.api.engine;

/**
 * Moves committed changes between one database file and the changeset chain in storage
 * (DESIGN §3.3, §4, §6.2). The coordinator drives it; it never touches leases.
 *
 * <p>Leader side: {@link #startPublishing} at (epoch, next seq), publish each commit, {@link #sync}.
 * Follower side: {@link #bootstrap} then {@link #pull}. The engine issue refines this interface.
 */
public interface Replicator extends AutoCloseable {

  /** Starts publishing commits as changesets from {@code nextSeq} on, stamped with {@code epoch}. */
  void startPublishing(long epoch, long nextSeq);

  /** Stops publishing (demotion); commits not yet shipped are reported by the engine. */
  void stopPublishing();

  /** Blocks until everything committed so far is durable in storage; returns the last seq. */
  long sync();

  /** Follower: restores the latest snapshot plus the chain; returns the applied seq. */
  long bootstrap();

  /** Follower: applies changesets published since the last pull; returns the applied seq. */
  long pull();

  /** The last seq applied to (follower) or published from (leader) the local file; 0 if none. */
  long appliedSeq();

  @Override
  void close();
}
