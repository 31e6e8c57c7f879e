package io.hadb.coordinator.lease;

/** Why a node could claim the lease. */
public enum ClaimReason {
  /** No record existed (first start, or every earlier holder deleted it). */
  ABSENT,
  /** The holder released the record gracefully; claimable at once. */
  RELEASED,
  /** The record's version stayed unchanged for ttl + margin on this node's monotonic clock. */
  EXPIRED,
  /**
   * The record is this participant's own (it fenced itself, or a claim's answer was lost), so no
   * other node holds it; claiming over it by compare-and-set starts a new term.
   */
  OWN_RECORD
}
