package io.hadb.coordinator;

/** How fresh a follower's read must be (DESIGN §6.4). */
public enum ReadConsistency {
  /** The local copy as it is: eventual, fastest (the default). */
  LOCAL,
  /**
   * The local copy once it has applied the seq of this session's last forwarded write; waits a
   * bounded time, then fails with TIMEOUT rather than answer from a copy that lacks the write.
   */
  READ_YOUR_WRITES,
  /** Forwarded to the leader: sees every acknowledged write. */
  LEADER
}
