package io.hadb.coordinator.lease;

import java.util.Optional;

/**
 * One node's leadership of one database, as the rest of the coordinator sees it: who leads, the
 * check a write makes at the moment it acts, and the graceful release. Two protocols implement it:
 * {@link LeaderLease}, a register its holder renews itself (DESIGN §6.1), and
 * {@link DatabaseLease}, a record that stands for as long as its holder's node lease (DESIGN §9).
 */
public interface Lease {

  /** The database, this node's id and forwarding address, its roles and timings. */
  CoordinatorConfig config();

  /** Whether this node leads now; computed at every call, so it turns false on time. */
  boolean isLeader();

  /** The term this node leads now, if {@link #isLeader()}. */
  Optional<Term> term();

  /** Throws {@link io.hadb.api.ErrorCode#FENCED} unless this node leads {@code epoch} now. */
  void requireLeader(long epoch);

  /** The last record this node read of the database's lease: who leads, where, at which epoch. */
  Optional<ObservedLease> observed();

  /**
   * Stops leading at once, then marks the record released so another node may claim it without
   * waiting. Returns whether the released record was written.
   */
  boolean release();

  /** Told of every gain and loss of leadership, in order. */
  void addListener(LeadershipListener listener);
}
