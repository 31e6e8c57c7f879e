package io.hadb.api.engine;

/**
 * Moves committed changes between one database file and the changeset chain in storage
 * (DESIGN §3.3, §4, §6.2). The coordinator drives it; it never touches leases.
 *
 * <p>Leader side: {@link #seal} the chain at the new epoch, {@link #startPublishing} after the
 * seal, publish each commit, {@link #sync}, {@link #snapshot}. Follower side: {@link #bootstrap}
 * then {@link #pull}. A replicator opens as a follower.
 */
public interface Replicator extends AutoCloseable {

  /**
   * Writes the seal of a new leader (DESIGN §6.2): an empty changeset at {@code seq} stamped with
   * {@code epoch} and linked to the changeset before it, with put-if-absent. Once it is stored,
   * every older leader's next changeset finds its seq taken and is fenced.
   *
   * @return true when the seal is in storage (written now, or by this call's own earlier attempt
   *     whose answer was lost); false when another writer took {@code seq} first: pull again and
   *     seal after it
   */
  boolean seal(long epoch, long seq);

  /** Starts publishing commits as changesets from {@code nextSeq} on, stamped with {@code epoch}. */
  void startPublishing(long epoch, long nextSeq);

  /**
   * Stops publishing (demotion). Commits not yet in the chain are not kept: the engine rebuilds the
   * file from the chain before it follows, and reports how many it dropped in {@link #droppedCommits}.
   */
  void stopPublishing();

  /**
   * Local commits the last {@link #stopPublishing} left out of the chain, which the file's rebuild
   * discards (a demoted leader's unpublished writes, DESIGN §6.2); 0 when nothing was dropped.
   */
  long droppedCommits();

  /**
   * Blocks until everything committed so far is durable in storage; returns the last seq. After
   * {@link #stopPublishing} left local commits out of the chain it fails with UNKNOWN_OUTCOME,
   * its cause NOT_LEADER or FENCED, until the file follows the chain again: those commits are
   * dropped when the file is rebuilt, but an upload of one may have been in flight when
   * publishing stopped, so nobody can say they did not reach storage (DESIGN §6.4).
   */
  long sync();

  /**
   * Leader: takes a snapshot now (DESIGN §4: the exact page images as of one seq, streamed, never
   * whole in memory), then applies the retention policy. Returns the snapshot's seq. Fails with
   * {@code INVALID_ARGUMENT} on a follower.
   */
  long snapshot(Progress progress);

  /** Follower: restores the latest snapshot plus the chain; returns the applied seq. */
  long bootstrap();

  /** Follower: applies changesets published since the last pull; returns the applied seq. */
  long pull();

  /** The last seq applied to (follower) or published from (leader) the local file; 0 if none. */
  long appliedSeq();

  /**
   * Push, leader side (DESIGN §9): {@code listener} is told of each changeset this node publishes
   * once it is durable in storage, never before; replaces the previous one. A replicator without
   * push ignores it (followers then read storage).
   */
  default void onDurable(DurableListener listener) {}

  /**
   * Push, follower side (DESIGN §9): keeps {@code body}, offered as the changeset stored at
   * {@code key} with seq {@code seq}, for the next pull, which verifies it exactly as one read
   * from storage and reads storage instead if it fails. Never waits for a pull. Returns false
   * when it was not kept (no push support, or no room): the pull reads it from storage.
   */
  default boolean offer(long seq, String key, byte[] body) {
    return false;
  }

  /**
   * Push, follower side: applies the offered changesets that follow the local seq, without a
   * storage request; returns the applied seq. Without push support: {@link #appliedSeq()}.
   */
  default long pullOffered() {
    return appliedSeq();
  }

  @Override
  void close();
}
