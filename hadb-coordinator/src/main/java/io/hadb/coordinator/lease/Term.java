package io.hadb.coordinator.lease;

/**
 * One leadership term of one node.
 *
 * @param epoch the register version the claim wrote: the fencing epoch stamped on every
 *     changeset of this term (DESIGN §6.1, §6.2); strictly greater than every earlier term's
 * @param holder the leader's node id
 * @param address the leader's forwarding address (may be empty)
 * @param claimedBecause why the claim was possible
 */
public record Term(long epoch, String holder, String address, ClaimReason claimedBecause) {}
