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

  /**
   * Stops publishing (demotion). Commits not yet in the chain are not kept: the engine rebuilds the
   * file from the chain before it follows, and reports how many it dropped in {@link #droppedCommits}.
   */
  void stopPublishing();

  /**
   * Local commits the last {@link #stopPublishing} left out of the chain, which the file's rebuild
   * discards (a demoted leader's unpublished writes, DESIGN §6.2); 0 when nothing was dropped or
   * the engine does not count them.
   */
  default long droppedCommits() {
    return 0;
  }

  /**
   * Blocks until everything committed so far is durable in storage; returns the last seq. After
   * {@link #stopPublishing} left local commits out of the chain it fails with NOT_LEADER (those
   * commits are not durable and are dropped when the file is rebuilt) until the file follows the
   * chain again.
   */
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
