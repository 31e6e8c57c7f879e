package io.hadb.coordinator;

/**
 * The coordinator's figures at one instant.
 *
 * @param role the node's current role
 * @param epoch the epoch this node leads, or the last epoch it saw in the lease record
 * @param claims lease claims this node won
 * @param renewals successful renewals
 * @param renewFailures renew attempts that failed (store unreachable, slow or ambiguous)
 * @param fenced times the leader fenced itself because its deadline passed without a renew
 * @param demotions times this node stopped leading, for any reason (fenced, lost CAS, released)
 * @param appliedSeq the last changeset seq applied (follower) or published (leader); fed by the engine
 * @param lagSeqs changesets the local copy is behind the chain head; fed by the engine
 * @param forwards writes forwarded to (follower) or accepted from followers by (leader) this node
 * @param fencedWrites writes refused because this node was not (or no longer) the leader
 */
public record MetricsSnapshot(
    Role role,
    long epoch,
    long claims,
    long renewals,
    long renewFailures,
    long fenced,
    long demotions,
    long appliedSeq,
    long lagSeqs,
    long forwards,
    long fencedWrites) {}
