package io.hadb.api.engine;

import io.hadb.api.HadbException;

/**
 * Which snapshots to keep: the newest {@code last}, plus the newest snapshot of each of the
 * last {@code daily} days, {@code weekly} ISO weeks and {@code monthly} months (UTC). The
 * newest snapshot is always kept. Changesets are kept from the oldest of the last {@code last}
 * snapshots on (from the newest when {@code last} is 0): that span is the point-in-time window,
 * where a restore reaches any seq or time; the older daily, weekly and monthly snapshots are
 * restore points of their own. So what storage holds is bounded by the policy, not by the
 * database's age: at most {@code last + daily + weekly + monthly} snapshots and the changesets of
 * {@code last} snapshot intervals (plus what garbage collection's grace period still holds).
 * {@code last} 0 with every calendar count 0 means "keep everything".
 */
public record RetentionPolicy(int last, int daily, int weekly, int monthly) {
  public RetentionPolicy {
    if (last < 0 || daily < 0 || weekly < 0 || monthly < 0) {
      throw HadbException.invalidArgument("retention counts must not be negative: last=" + last
          + " daily=" + daily + " weekly=" + weekly + " monthly=" + monthly);
    }
  }

  /** The last 4 snapshots (the point-in-time window), 7 daily, 4 weekly and 3 monthly ones. */
  public static RetentionPolicy defaults() {
    return new RetentionPolicy(4, 7, 4, 3);
  }

  public static RetentionPolicy keepAll() {
    return new RetentionPolicy(0, 0, 0, 0);
  }

  /** Most snapshots this policy keeps (the newest is always kept). */
  public int maxSnapshots() {
    return Math.max(1, last + daily + weekly + monthly);
  }

  public boolean keepsAll() {
    return last == 0 && daily == 0 && weekly == 0 && monthly == 0;
  }
}
