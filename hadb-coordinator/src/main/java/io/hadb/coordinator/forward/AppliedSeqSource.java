package io.hadb.coordinator.forward;

import io.hadb.api.engine.Replicator;

/**
 * The last changeset seq applied to the local copy: what READ_YOUR_WRITES waits on. Kept apart
 * from {@link Replicator} so a node can be wired to whatever reports it.
 */
@FunctionalInterface
public interface AppliedSeqSource {

  long appliedSeq();

  /** The replicator's applied seq. */
  static AppliedSeqSource of(Replicator replicator) {
    return replicator::appliedSeq;
  }
}
