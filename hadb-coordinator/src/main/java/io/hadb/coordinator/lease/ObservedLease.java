package io.hadb.coordinator.lease;

/**
 * What a node last read from the lease register: who holds it, at which epoch, where to forward.
 *
 * @param record the decoded record
 * @param version the register version that wrote it
 */
public record ObservedLease(LeaseRecord record, long version) {

  /** The epoch of the holder's term. */
  public long epoch() {
    return record.epochAt(version);
  }
}
