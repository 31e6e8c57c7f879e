package io.hadb.coordinator.lease;

/** Why a leader stopped being leader. */
public enum DemotionReason {
  /** Its self-fence deadline passed without a successful renew (store unreachable or slow). */
  FENCED,
  /** A renew's compare-and-set lost: someone else wrote the record. */
  LOST_CAS,
  /** A read (after a watch notice or an unanswered renew) showed another holder's record. */
  SUPERSEDED,
  /** It released the lease gracefully (close or resign). */
  RELEASED
}
