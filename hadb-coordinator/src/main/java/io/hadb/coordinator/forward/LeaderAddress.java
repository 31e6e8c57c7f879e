package io.hadb.coordinator.forward;

import io.hadb.api.HadbException;

/**
 * Where a leader takes forwarded writes, and the epoch of its term (DESIGN §6.1): of two claims
 * about who leads, the one with the higher epoch is the newer.
 *
 * @param address {@code http://host:port}
 * @param epoch the term's epoch; 0 when the source did not say
 */
public record LeaderAddress(String address, long epoch) {
  public LeaderAddress {
    HadbException.requireArg(address, "address");
    if (address.isEmpty()) {
      throw HadbException.invalidArgument("a leader address must not be empty");
    }
    if (epoch < 0) {
      throw HadbException.invalidArgument("epoch must be >= 0, was " + epoch);
    }
  }

  /** Whether this names a later term than {@code other} does (unknown epochs are never later). */
  public boolean newerThan(LeaderAddress other) {
    return other == null || epoch > other.epoch;
  }
}
