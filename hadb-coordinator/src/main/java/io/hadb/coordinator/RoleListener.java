package io.hadb.coordinator;

/**
 * Told when an {@link HaDatabase} node changes role: {@link Role#LEADER} once promotion for a term
 * has caught up, sealed the chain and accepts writes; {@link Role#FOLLOWER} once a demoted node
 * stopped publishing and follows again. Calls come in order on the node's role thread; keep them
 * short. A call may be stale by the time it runs: check {@link HaDatabase#role()} when acting.
 */
@FunctionalInterface
public interface RoleListener {

  /** @param epoch the term's epoch (LEADER), or the epoch just lost (FOLLOWER) */
  void roleChanged(Role role, long epoch);

  /**
   * A demotion from {@code epoch} discarded {@code count} (≥ 1) local commits that never reached
   * the chain: writes this node ran as leader that no other node has and that are now gone (their
   * callers got an error, or, in ASYNC, an acknowledgement that turned out to be lost). Called on
   * the role thread before the FOLLOWER {@link #roleChanged} of that demotion. Default: nothing.
   */
  default void commitsDropped(long epoch, long count) {}
}
