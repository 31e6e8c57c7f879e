package io.hadb.api.engine;

import io.hadb.api.HadbException;

/**
 * Which snapshots to keep: the newest {@code last}, plus the newest snapshot of each of the
 * last {@code daily} days, {@code weekly} ISO weeks and {@code monthly} months (UTC). The
 * newest snapshot is always kept. Changesets are deleted only up to the oldest kept snapshot,
 * so every kept snapshot still has the whole chain after it (point-in-time restore from it).
 * A non-positive {@code last} with every calendar count 0 means "keep everything".
 */
public record RetentionPolicy(int last, int daily, int weekly, int monthly) {
  public RetentionPolicy {
    if (last < 0 || daily < 0 || weekly < 0 || monthly < 0) {
      throw HadbException.invalidArgument("retention counts must not be negative: last=" + last
          + " daily=" + daily + " weekly=" + weekly + " monthly=" + monthly);
    }
  }

  public static RetentionPolicy keepAll() {
    return new RetentionPolicy(0, 0, 0, 0);
  }

  public boolean keepsAll() {
    return last == 0 && daily == 0 && weekly == 0 && monthly == 0;
  }
}
