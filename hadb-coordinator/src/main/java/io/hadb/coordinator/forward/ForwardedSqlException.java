package io.hadb.coordinator.forward;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import java.util.OptionalInt;

/**
 * The leader refused a forwarded statement: the same {@link ErrorCode} a local execution raises
 * (SQL_ERROR for a syntax or constraint error), plus which statement of the request failed. Never
 * retried: running the same statement again gives the same answer.
 */
public final class ForwardedSqlException extends HadbException {
  private static final long serialVersionUID = 1L;
  private final int statementIndex;

  public ForwardedSqlException(ErrorCode code, int statementIndex, String message) {
    super(code, message);
    this.statementIndex = statementIndex;
  }

  /** The 0-based index of the failing statement in the request, when the leader could tell. */
  public OptionalInt statementIndex() {
    return statementIndex < 0 ? OptionalInt.empty() : OptionalInt.of(statementIndex);
  }
}
