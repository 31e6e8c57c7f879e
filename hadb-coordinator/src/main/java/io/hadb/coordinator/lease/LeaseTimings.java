package io.hadb.coordinator.lease;

import io.hadb.api.HadbException;
import java.time.Duration;

/**
 * The lease protocol's timings (DESIGN §6.1).
 *
 * <p>A leader is leader only until {@code start of its last successful renew + ttl − margin};
 * a follower claims only after the record's version stayed unchanged for {@code ttl + margin} on
 * its own monotonic clock. The two margins keep a gap of {@code 2 × margin} between the latest
 * instant the old leader may still act and the earliest instant a new one can claim; the gap
 * absorbs monotonic clock rate differences between machines and the time between a leader's
 * deadline check and its action.
 *
 * @param ttl how long a renew keeps the lease; written into the record so followers use the
 *     holder's ttl (or their own, if longer)
 * @param margin safety margin subtracted from the leader's deadline and added to the follower's
 *     wait; must be &gt; 0 and &lt; ttl / 2
 * @param renewInterval how often the leader renews; at most {@code (ttl − margin) / 2} so that at
 *     least two renew attempts fit before the self-fence deadline
 * @param pollInterval how often a follower reads the record (expiry is the absence of change, so
 *     a watch cannot replace polling), and how long a failed leader renew waits before retrying
 */
public record LeaseTimings(Duration ttl, Duration margin, Duration renewInterval, Duration pollInterval) {

  /** The default ttl of DESIGN §6.1. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);

  /** The record stores the ttl in milliseconds; one hour is far beyond any sane lease. */
  public static final Duration MAX_TTL = Duration.ofHours(1);

  public static final Duration MIN_TTL = Duration.ofMillis(100);

  public LeaseTimings {
    HadbException.requireArg(ttl, "ttl");
    HadbException.requireArg(margin, "margin");
    HadbException.requireArg(renewInterval, "renewInterval");
    HadbException.requireArg(pollInterval, "pollInterval");
    if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw HadbException.invalidArgument(
          "lease ttl must be between " + MIN_TTL.toMillis() + " ms and " + MAX_TTL + ", was " + ttl);
    }
    if (margin.isNegative() || margin.isZero() || margin.multipliedBy(2).compareTo(ttl) >= 0) {
      throw HadbException.invalidArgument(
          "lease margin must be > 0 and < ttl / 2 (ttl " + ttl + "), was " + margin);
    }
    Duration fenceAfter = ttl.minus(margin);
    if (renewInterval.isNegative() || renewInterval.isZero()
        || renewInterval.multipliedBy(2).compareTo(fenceAfter) > 0) {
      throw HadbException.invalidArgument("lease renewInterval must be > 0 and <= (ttl - margin) / 2 = "
          + fenceAfter.dividedBy(2) + " so two renew attempts fit before the leader fences itself, was "
          + renewInterval);
    }
    if (pollInterval.isNegative() || pollInterval.isZero() || pollInterval.compareTo(ttl) > 0) {
      throw HadbException.invalidArgument(
          "lease pollInterval must be > 0 and <= ttl (" + ttl + "), was " + pollInterval);
    }
  }

  /** ttl 5 s, margin 500 ms, renew every ttl / 3, poll every 500 ms. */
  public static LeaseTimings defaults() {
    return ofTtl(DEFAULT_TTL);
  }

  /** Timings derived from {@code ttl}: margin ttl / 10, renew every ttl / 3, poll every ttl / 10. */
  public static LeaseTimings ofTtl(Duration ttl) {
    HadbException.requireArg(ttl, "ttl");
    return new LeaseTimings(ttl, ttl.dividedBy(10), ttl.dividedBy(3), ttl.dividedBy(10));
  }

  /** How long after the start of a successful renew the leader stops acting as leader. */
  public Duration fenceAfter() {
    return ttl.minus(margin);
  }

  /**
   * The latest a follower claims after the leader's last renew, and so after the leader died or
   * froze: it sees that renew within a poll, waits {@link #expiryWait} of no change (ttl + margin
   * when its ttl is the record's), and claims at its next poll. 6.5 s with the defaults.
   */
  public Duration takeoverBound() {
    return ttl.plus(margin).plus(pollInterval.multipliedBy(2));
  }

  /** How long a follower waits, on its own clock, for a version to stay unchanged before claiming. */
  public Duration expiryWait(Duration recordTtl) {
    Duration longer = recordTtl.compareTo(ttl) > 0 ? recordTtl : ttl;
    return longer.plus(margin);
  }
}
