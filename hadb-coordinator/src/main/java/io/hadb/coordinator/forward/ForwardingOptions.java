package io.hadb.coordinator.forward;

import io.hadb.api.HadbException;
import java.time.Duration;

/**
 * Retry bounds of a {@link ForwardingClient}.
 *
 * @param maxAttempts attempts per call, the first included (1–100)
 * @param initialBackoff wait after the first failed attempt; doubles per attempt, with jitter
 * @param maxBackoff the cap of that wait
 * @param deadline the whole call, retries and waits included: past it the call fails
 * @param connectTimeout to open a connection to the leader
 * @param requestTimeout one attempt (cut to what is left of the deadline)
 */
public record ForwardingOptions(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration deadline,
    Duration connectTimeout, Duration requestTimeout) {

  public ForwardingOptions {
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw HadbException.invalidArgument("maxAttempts must be 1-100, was " + maxAttempts);
    }
    positive(initialBackoff, "initialBackoff");
    positive(maxBackoff, "maxBackoff");
    positive(deadline, "deadline");
    positive(connectTimeout, "connectTimeout");
    positive(requestTimeout, "requestTimeout");
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw HadbException.invalidArgument("maxBackoff " + maxBackoff + " is below initialBackoff " + initialBackoff);
    }
  }

  /**
   * 8 attempts from 25 ms up to 1 s apart within 15 s: long enough to ride out a crashed leader's
   * replacement with the default 5 s ttl (about 6 s).
   */
  public static ForwardingOptions defaults() {
    return new ForwardingOptions(8, Duration.ofMillis(25), Duration.ofSeconds(1), Duration.ofSeconds(15),
        Duration.ofSeconds(1), Duration.ofSeconds(5));
  }

  public ForwardingOptions withMaxAttempts(int n) {
    return new ForwardingOptions(n, initialBackoff, maxBackoff, deadline, connectTimeout, requestTimeout);
  }

  public ForwardingOptions withDeadline(Duration d) {
    return new ForwardingOptions(maxAttempts, initialBackoff, maxBackoff, d, connectTimeout, requestTimeout);
  }

  public ForwardingOptions withBackoff(Duration initial, Duration max) {
    return new ForwardingOptions(maxAttempts, initial, max, deadline, connectTimeout, requestTimeout);
  }

  private static void positive(Duration d, String what) {
    HadbException.requireArg(d, what);
    if (d.isNegative() || d.isZero()) {
      throw HadbException.invalidArgument(what + " must be positive, was " + d);
    }
  }
}
