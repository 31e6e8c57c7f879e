package io.hadb.testservers;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/** Small helpers shared by the fault tests of the store plug-ins. */
public final class Faults {
  /** What a store may throw while its server is down, paused or restarting. */
  public static final Set<ErrorCode> RETRYABLE =
      Set.of(ErrorCode.UNAVAILABLE, ErrorCode.TIMEOUT, ErrorCode.UNKNOWN_OUTCOME);

  private Faults() {}

  /**
   * Runs {@code call}, which must throw a retryable {@link HadbException} within {@code bound}:
   * a bound on hanging, not a performance figure. Returns the exception.
   */
  public static HadbException assertFailsRetryablyWithin(Duration bound, Runnable call) {
    long start = System.nanoTime();
    try {
      call.run();
    } catch (HadbException e) {
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      if (!RETRYABLE.contains(e.code())) {
        throw new AssertionError("expected UNAVAILABLE, TIMEOUT or UNKNOWN_OUTCOME, got " + e, e);
      }
      if (took.compareTo(bound) > 0) {
        throw new AssertionError("the call took " + took + ", more than " + bound + ": " + e, e);
      }
      return e;
    }
    throw new AssertionError("the call returned normally; it was expected to fail");
  }

  /**
   * {@link #assertFailsRetryablyWithin(Duration, Runnable)}, then prints how long the call took
   * to fail: {@code "<label>: <call> failed with <code> after <n> ms"}.
   */
  public static HadbException assertFailsRetryablyWithin(
      String label, String call, Duration bound, Runnable op) {
    long start = System.nanoTime();
    HadbException e = assertFailsRetryablyWithin(bound, op);
    System.out.printf(Locale.ROOT, "%s: %s failed with %s after %d ms%n",
        label, call, e.code(), (System.nanoTime() - start) / 1_000_000);
    return e;
  }

  /** Retries {@code call} on retryable errors for up to {@code timeout}, with short pauses. */
  public static <T> T retry(Duration timeout, Supplier<T> call) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return call.get();
      } catch (HadbException e) {
        if (!e.retryable() || System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
