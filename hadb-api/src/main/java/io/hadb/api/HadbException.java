package io.hadb.api;

import java.util.Objects;
import java.util.Optional;

/**
 * The one unchecked exception of hadb. Its {@link #code()} tells whether a retry can help.
 *
 * <p>Messages name what was wrong and where (the key, the parameter, the object), and never hold
 * a secret: plug-ins redact credentials before building a message.
 */
public class HadbException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String leaderHint;

  public HadbException(ErrorCode code, String message) {
    this(code, message, null, null);
  }

  public HadbException(ErrorCode code, String message, Throwable cause) {
    this(code, message, cause, null);
  }

  private HadbException(ErrorCode code, String message, Throwable cause, String leaderHint) {
    super(code + ": " + message, cause);
    this.code = Objects.requireNonNull(code, "code");
    this.leaderHint = leaderHint;
  }

  public ErrorCode code() {
    return code;
  }

  public boolean retryable() {
    return code.retryable();
  }

  /** For {@link ErrorCode#NOT_LEADER}: the address of the node believed to lead, if known. */
  public Optional<String> leaderHint() {
    return Optional.ofNullable(leaderHint);
  }

  public static HadbException notLeader(String message, String leaderHint) {
    return new HadbException(ErrorCode.NOT_LEADER, message, null, leaderHint);
  }

  public static HadbException invalidArgument(String message) {
    return new HadbException(ErrorCode.INVALID_ARGUMENT, message);
  }

  public static HadbException unavailable(String message, Throwable cause) {
    return new HadbException(ErrorCode.UNAVAILABLE, message, cause);
  }

  public static HadbException closed(String what) {
    return new HadbException(ErrorCode.CLOSED, what + " is closed");
  }

  public static HadbException corrupt(String message) {
    return new HadbException(ErrorCode.CORRUPT, message);
  }

  public static HadbException notFound(String message) {
    return new HadbException(ErrorCode.NOT_FOUND, message);
  }

  public static HadbException unknownOutcome(String message, Throwable cause) {
    return new HadbException(ErrorCode.UNKNOWN_OUTCOME, message, cause);
  }

  public static HadbException unsupported(String message) {
    return new HadbException(ErrorCode.UNSUPPORTED, message);
  }

  public static HadbException fenced(String message) {
    return new HadbException(ErrorCode.FENCED, message);
  }

  public static HadbException timeout(String message, Throwable cause) {
    return new HadbException(ErrorCode.TIMEOUT, message, cause);
  }

  /** Throws {@link ErrorCode#INVALID_ARGUMENT} naming {@code what} when {@code value} is null. */
  public static <T> T requireArg(T value, String what) {
    if (value == null) {
      throw invalidArgument(what + " must not be null");
    }
    return value;
  }
}
