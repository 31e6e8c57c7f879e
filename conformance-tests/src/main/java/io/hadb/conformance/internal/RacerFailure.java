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
        throw of(o.racer(), o.error(), rule, check, lostInstead);
      }
    }
  }

  /**
   * @param lostInstead what losing looks like for this call, for the hint after a store exception
   *     ({@code "CasResult.lost()"}, {@code "false"})
   */
  public static AssertionFailedError of(int racer, Throwable error, String rule, String check, String lostInstead) {
    if (error instanceof KitFinding f) {
      return Check.failure(rule, "racer " + racer + " found: " + f.getMessage(), check);
    }
    if (error instanceof HadbException h && h.code() == ErrorCode.TIMEOUT) {
      return Check.failure(rule, "racer " + racer + "'s call timed out while " + Kit.raceThreads()
          + " clients raced: " + h.getMessage(), "the store did not answer in time under concurrent calls on"
          + " one key; no other failure was seen. That suggests conflicting requests queue behind a lock or a"
          + " retry loop (check for a lock held across a slow step, unbounded back-off, or a server overloaded by "
          + Kit.raceThreads() + " connections; " + Kit.CALL_TIMEOUT_SECONDS + " and " + Kit.RACE_THREADS
          + " set the kit's side). A lost race must be answered (" + lostInstead + "), promptly", h);
    }
    return Check.failure(rule, "racer " + racer + "'s call threw " + error + " (losing a race is " + lostInstead
        + ", not an exception)", check, error);
  }
}
