package io.hadb.coordinator.forward;

import io.hadb.api.HadbException;
import io.hadb.coordinator.lease.LeaseTimings;
import java.time.Duration;

/**
 * Retry bounds of a {@link ForwardingClient}. The deadline is the bound that matters: a call keeps
 * retrying (the same request id) until a leader answers or the deadline passes, so it rides out a
 * failover that completes within it.
 *
 * @param maxAttempts attempts per call, the first included (at least 1); {@link Integer#MAX_VALUE}
 *     leaves the deadline alone to bound the call
 * @param initialBackoff wait after the first failed attempt; doubles per attempt, with jitter
 * @param maxBackoff the cap of that wait; also how often a call that waits on an answer looks at
 *     the lease to notice that the leader it waits on was replaced
 * @param deadline the whole call, retries and waits included: past it the call fails
 * @param connectTimeout to open a connection to the leader
 * @param requestTimeout one attempt (cut to what is left of the deadline)
 */
public record ForwardingOptions(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration deadline,
    Duration connectTimeout, Duration requestTimeout) {

  /** The deadline of {@link #defaults()}. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(15);

  public ForwardingOptions {
    if (maxAttempts < 1) {
      throw HadbException.invalidArgument("maxAttempts must be at least 1, was " + maxAttempts);
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
   * Retries from 25 ms up to 250 ms apart, without an attempt cap, within 15 s. That covers the
   * replacement of a crashed or frozen leader at the default ttl of 5 s: a follower claims at most
   * {@link LeaseTimings#takeoverBound()} (6.5 s) after the leader's last renew, then catches up
   * and seals, and a waiting call notices within 250 ms. For a longer ttl use
   * {@link #coveringTakeover}.
   */
  public static ForwardingOptions defaults() {
    return new ForwardingOptions(Integer.MAX_VALUE, Duration.ofMillis(25), Duration.ofMillis(250), DEFAULT_DEADLINE,
        Duration.ofSeconds(1), Duration.ofSeconds(5));
  }

  /**
   * {@link #defaults()} with the deadline raised, when {@code timings} need it, to twice their
   * takeover bound: time for the claim, the new leader's catch-up and seal, and the retry.
   */
  public static ForwardingOptions coveringTakeover(LeaseTimings timings) {
    HadbException.requireArg(timings, "timings");
    Duration twice = timings.takeoverBound().multipliedBy(2);
    ForwardingOptions d = defaults();
    return twice.compareTo(d.deadline()) > 0 ? d.withDeadline(twice) : d;
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

  public ForwardingOptions withRequestTimeout(Duration d) {
    return new ForwardingOptions(maxAttempts, initialBackoff, maxBackoff, deadline, connectTimeout, d);
  }

  private static void positive(Duration d, String what) {
    HadbException.requireArg(d, what);
    if (d.isNegative() || d.isZero()) {
      throw HadbException.invalidArgument(what + " must be positive, was " + d);
    }
  }
}
