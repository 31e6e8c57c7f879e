package io.hadb.conformance.internal;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import java.util.List;
import org.opentest4j.AssertionFailedError;

/**
 * Turns a racer that did not return normally into a rule failure that says who raised what: a
 * finding of the kit (the store answered something impossible), a timeout (with what that
 * suggests about the store), or an exception the store threw where it had to answer.
 */
public final class RacerFailure {
  private RacerFailure() {}

  /** Fails {@code rule} for the first racer that did not return normally; does nothing if all did. */
  public static <T> void check(List<Race.Outcome<T>> outcomes, String rule, String check, String lostInstead) {
    for (Race.Outcome<T> o : outcomes) {
      if (o.failed()) {
        throw of(o.racer(), outcomes.size(), o.error(), rule, check, lostInstead);
      }
    }
  }

  /**
   * @param lostInstead what losing looks like for this call, for the hint after a store exception
   *     ({@code "CasResult.lost()"}, {@code "false"}), or null when the call has nothing to lose
   */
  public static AssertionFailedError of(int racer, int racers, Throwable error, String rule, String check,
      String lostInstead) {
    if (error instanceof KitFinding f) {
      return Check.failure(rule, "racer " + racer + " found: " + f.getMessage(), check);
    }
    if (isTimeout(error)) {
      return Check.failure(rule, "racer " + racer + "'s call timed out while " + racers + " clients raced"
          + " on one key, before any wrong answer was seen: " + error, "the store stopped answering under"
          + " concurrent calls on one key. That suggests a lock held across a whole request (reads or"
          + " conditional writes queued behind a slow write), a deadlock between concurrent requests, an"
          + " unbounded retry loop, or a server overloaded by " + Kit.raceThreads() + " connections ("
          + Kit.RACE_THREADS + " and " + Kit.CALL_TIMEOUT_SECONDS + " set the kit's side)"
          + (lostInstead == null ? "" : "; a lost race must be answered (" + lostInstead + "), promptly"), error);
    }
    return Check.failure(rule, "racer " + racer + "'s call threw " + error
        + (lostInstead == null ? "" : " (losing a race is " + lostInstead + ", not an exception)"), check, error);
  }

  /** A timeout code, or a socket or client timeout anywhere in the chain (plug-ins map them differently). */
  static boolean isTimeout(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof HadbException h && h.code() == ErrorCode.TIMEOUT) {
        return true;
      }
      if (t instanceof java.net.SocketTimeoutException || t instanceof java.util.concurrent.TimeoutException) {
        return true;
      }
      String m = t.getMessage(); // clients that wrap the socket's exception keep its words
      if (m != null && (m.contains("Read timed out") || m.contains("timed out after"))) {
        return true;
      }
    }
    return false;
  }
}
