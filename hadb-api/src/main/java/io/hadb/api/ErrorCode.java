package io.hadb.api;

/**
 * What went wrong, and whether trying again can help.
 *
 * <p>Losing a race is never an error: {@link LeaseStore} returns {@link CasResult.Lost} and
 * {@link StorageBackend#putIfAbsent} returns {@code false}. A code here means the call could not
 * be answered, or was asked something it must refuse.
 */
public enum ErrorCode {
  /** The store or peer could not be reached or answered with a server error. Retry may help. */
  UNAVAILABLE(true),
  /** The call did not finish within its configured timeout. Retry may help. */
  TIMEOUT(true),
  /**
   * A write was sent but its outcome could not be learned (DESIGN §3.1 L-ambiguous). The caller
   * must read before assuming either outcome; a blind retry of a non-idempotent write is unsafe.
   */
  UNKNOWN_OUTCOME(true),
  /** This node is not the leader; {@link HadbException#leaderHint()} may name the one that is. */
  NOT_LEADER(true),
  /** Another writer owns the chain or the lease with a newer epoch; this node must stop writing. */
  FENCED(false),
  /** Stored bytes failed a checksum, a format check or a chain check. */
  CORRUPT(false),
  /** The caller passed something the API refuses: a bad key, URI, parameter or value. */
  INVALID_ARGUMENT(false),
  /** A named object, database, seq or provider does not exist. */
  NOT_FOUND(false),
  /** The object was used after {@code close()}. */
  CLOSED(false),
  /** The operation or configuration is not supported by this plug-in or mode. */
  UNSUPPORTED(false),
  /** The database engine rejected a statement (syntax, constraint, type). Never retried. */
  SQL_ERROR(false),
  /** A bug or an unexpected state inside hadb itself. */
  INTERNAL(false);

  private final boolean retryable;

  ErrorCode(boolean retryable) {
    this.retryable = retryable;
  }

  /** Whether the same call, made again later, may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
