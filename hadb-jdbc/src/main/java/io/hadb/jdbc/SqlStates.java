package io.hadb.jdbc;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

/**
 * {@link HadbException} to {@link SQLException}: the SQLState says what the caller does (the
 * table is in the module README), the vendor code is the {@link ErrorCode}'s ordinal + 1 and the
 * message keeps hadb's text. Inside a transaction every "nothing applied, try again" code
 * becomes {@code 40001} ({@link SQLTransactionRollbackException}): the transaction was rolled
 * back and the caller retries all of it, which is what Spring and jOOQ retry helpers look for.
 */
final class SqlStates {
  static final String SERIALIZATION_FAILURE = "40001";
  static final String RESOLUTION_UNKNOWN = "08007";

  private SqlStates() {}

  static SQLException of(HadbException e, boolean inTransaction) {
    int vendor = e.code().ordinal() + 1;
    String m = e.getMessage();
    return switch (e.code()) {
      case SQL_ERROR -> sqlError(m, vendor, e);
      case INVALID_ARGUMENT -> new SQLSyntaxErrorException(m, "42000", vendor, e);
      case UNSUPPORTED -> new SQLFeatureNotSupportedException(m, "0A000", vendor, e);
      case NOT_LEADER, FENCED, UNAVAILABLE, TIMEOUT -> inTransaction
          ? new SQLTransactionRollbackException(m, SERIALIZATION_FAILURE, vendor, e)
          : e.code() == ErrorCode.TIMEOUT ? new SQLTimeoutException(m, "HYT00", vendor, e)
          : new SQLTransientConnectionException(m, "08006", vendor, e);
      case UNKNOWN_OUTCOME -> new SQLException(m + " (the outcome is unknown: read before retrying)",
          RESOLUTION_UNKNOWN, vendor, e);
      case CLOSED -> new SQLNonTransientConnectionException(m, "08003", vendor, e);
      case CORRUPT, NOT_FOUND, INTERNAL -> new SQLException(m, "XX000", vendor, e);
    };
  }

  /** The engine's refusal: a constraint (23000), or anything else about the statement (42000). */
  private static SQLException sqlError(String m, int vendor, HadbException e) {
    String lower = String.valueOf(m).toLowerCase(Locale.ROOT);
    if (lower.contains("constraint")) {
      return new SQLIntegrityConstraintViolationException(m, "23000", vendor, e);
    }
    return new SQLSyntaxErrorException(m, "42000", vendor, e);
  }

  static SQLException closed(String what) {
    return new SQLNonTransientConnectionException(what + " is closed", "08003");
  }
}
