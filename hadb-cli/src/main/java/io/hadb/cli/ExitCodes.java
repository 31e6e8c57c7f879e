package io.hadb.cli;

import io.hadb.api.ErrorCode;

/**
 * The exit codes of every {@code hadb} command, so scripts can tell what went wrong without
 * reading the message.
 */
public final class ExitCodes {
  private ExitCodes() {}

  /** Done. */
  public static final int OK = 0;
  /** Failed for another reason (a bug, an unexpected state); the message says what. */
  public static final int FAILED = 1;
  /** Bad command line or configuration: an unknown option, a bad URI, a missing setting. */
  public static final int USAGE = 2;
  /** Storage or the lease store could not be reached or did not answer in time. */
  public static final int STORAGE = 3;
  /** Stored data failed a check: a bad checksum, a broken chain, a bad snapshot (verify, restore). */
  public static final int INTEGRITY = 4;
  /** A restore could not be made: the point is not in storage, or the target file exists. */
  public static final int RESTORE = 5;

  /** The exit code for a failure with {@code code}. */
  public static int of(ErrorCode code) {
    return switch (code) {
      case INVALID_ARGUMENT, UNSUPPORTED -> USAGE;
      case UNAVAILABLE, TIMEOUT, UNKNOWN_OUTCOME -> STORAGE;
      case CORRUPT -> INTEGRITY;
      default -> FAILED;
    };
  }
}
