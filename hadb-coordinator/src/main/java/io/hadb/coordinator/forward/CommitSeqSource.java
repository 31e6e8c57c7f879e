package io.hadb.coordinator.forward;

import io.hadb.api.engine.Replicator;

/**
 * Leader side of READ_YOUR_WRITES: after a forwarded write commits, a changeset seq at or after
 * which that commit is in the chain. A follower whose applied seq has reached it sees the write.
 * Called after the commit, outside the write path's lock, so concurrent callers can share one
 * upload (group commit).
 */
@FunctionalInterface
public interface CommitSeqSource {

  long seqCovering();

  /**
   * {@link Replicator#sync()}: waits until everything committed so far is in storage and returns
   * the last seq. Exact in every durability mode; in ASYNC mode it makes a forwarded write wait
   * for its upload, as SYNC would. An engine that can tell the seq a commit will land in without
   * waiting should provide its own source.
   */
  static CommitSeqSource syncing(Replicator replicator) {
    return replicator::sync;
  }

  /** No seq known: writes return 0 and READ_YOUR_WRITES cannot wait for them. */
  static CommitSeqSource none() {
    return () -> 0;
  }
}
