package io.hadb.coordinator.metrics;

import io.hadb.coordinator.Role;
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
 * @param appliedSeq the last changeset seq applied (follower) or published (leader)
 * @param lagSeqs leader: 0; follower: changesets its copy was behind the chain head when its last
 *     successful pull began (what that pull applied; pulls run every poll interval)
 * @param forwards writes forwarded to (follower) or accepted from followers by (leader) this node
 * @param fencedWrites writes this node refused (421) or gave up running locally because it was not
 *     (or no longer) the leader, plus local commits the chain refused (FENCED)
 * @param droppedCommits local commits discarded on demotion because the chain never got them (a
 *     demoted leader's unpublished writes, rebuilt away; DESIGN §6.2), summed over demotions
 * @param unconfirmedWrites writes that committed on this node while it led and whose durability
 *     could not be confirmed, each answered UNKNOWN_OUTCOME (DESIGN §6.4): every dropped commit of
 *     a SYNC write is among them
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
    long fencedWrites,
    long droppedCommits,
    long unconfirmedWrites) {}
