package io.hadb.coordinator.forward;

import io.hadb.api.HadbException;

/**
 * What one call of a {@link ForwardingClient} learned across its attempts, and the error it ends
 * with. The error contract of DESIGN §6.4 is decided here: once a write has been sent somewhere it
 * may have landed, the call never ends in a definite error, whatever later attempts answer.
 */
final class ForwardCall {
  private final String requestId;
  private final boolean write;
  private int sent;
  private boolean maybeApplied;
  private LeaderAddress newest;
  private String lastProblem = "no attempt was made";

  ForwardCall(String requestId, boolean write, LeaderAddress known) {
    this.requestId = requestId;
    this.write = write;
    this.newest = known;
  }

  void sent() {
    sent++;
  }

  void problem(String p) {
    lastProblem = p;
  }

  /** The attempt just made may have applied (no answer, or an answer that does not say). */
  void maybeApplied() {
    maybeApplied = true;
  }

  /**
   * Notes a claim about who leads; true when it names a later term than any seen so far in this
   * call, so it may be followed at once. An older or equal claim (a node's stale view) is not
   * trusted over the lease record.
   */
  boolean newer(LeaderAddress claim) {
    if (claim.newerThan(newest)) {
      newest = claim;
      return true;
    }
    return false;
  }

  /** The call gives up: UNKNOWN_OUTCOME if a write may have landed, else TIMEOUT or UNAVAILABLE. */
  HadbException failure(String why, boolean deadlinePassed) {
    String msg = describe() + why + "; last problem: " + lastProblem;
    if (write && maybeApplied) {
      return unknownOutcome(msg, null);
    }
    return deadlinePassed ? HadbException.timeout(msg, null) : HadbException.unavailable(msg, null);
  }

  /**
   * A definite refusal ({@code refusal}: a SQL error, a wrong secret) ends the call; a write that
   * an earlier attempt may have applied still ends in UNKNOWN_OUTCOME, with the refusal as cause.
   */
  HadbException refused(HadbException refusal) {
    if (write && maybeApplied) {
      return unknownOutcome(describe() + "an earlier attempt may have applied it, and the last one was refused: "
          + refusal.getMessage(), refusal);
    }
    return refusal;
  }

  private HadbException unknownOutcome(String msg, Throwable cause) {
    return HadbException.unknownOutcome(msg + ". It may have been applied: retry with the same request id ("
        + requestId + ") to apply it at most once", cause);
  }

  private String describe() {
    return (write ? "forwarded write " : "forwarded read ") + requestId + " failed after " + sent + " attempt(s): ";
  }
}
