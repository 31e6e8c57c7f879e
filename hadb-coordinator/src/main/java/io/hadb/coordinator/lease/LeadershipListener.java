package io.hadb.coordinator.lease;

/**
 * Told when this node gains or loses the lease, in the order it happened (Curator's
 * {@code LeaderLatchListener} style).
 *
 * <p>A callback may already be stale when it runs: the lease can have been lost between the
 * transition and the call. Code that writes must check {@link LeaderLease#isLeader()} (or the
 * engine's epoch fence) at the moment it acts, never rely on the last callback. Callbacks run on
 * the lease's listener executor; keep them short and never block on another node from one.
 */
public interface LeadershipListener {

  /** This node now leads {@code term}. */
  void isLeader(Term term);

  /** This node no longer leads {@code term}; it is a follower again. */
  void notLeader(Term term, DemotionReason reason);
}
